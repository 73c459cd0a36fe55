"""The `autograder` command: grade, validate, release, demo, author, secret."""
from __future__ import annotations

import argparse
import os
import sys
from enum import IntEnum
from pathlib import Path


class Exit(IntEnum):
    OK = 0          # everything passed
    FAILED = 1      # something did not pass
    USAGE = 2       # a usage or input error (bad course.yaml, unreadable file, unknown assignment)


def _course(args):
    from autograder.course import load_course
    return load_course(args.course)


def _grading_course(args):
    """The course, with a sandbox that works (fail closed), or marked unsafe on request."""
    import dataclasses
    from autograder import sandbox
    course = dataclasses.replace(_course(args), unsafe_no_sandbox=args.unsafe_no_sandbox)
    if course.unsafe_no_sandbox:
        print("autograder: warning: --unsafe-no-sandbox: student code runs without isolation; "
              "every grade is marked unsafe", file=sys.stderr)
    else:
        sandbox.ensure_available(course.policy)
    return course


def cmd_grade(args) -> Exit:
    from autograder import batch, report
    course = _grading_course(args)
    lang = args.lang or course.language
    forced = course.assignment(args.assignment) if args.assignment else None
    items = batch.discover(course, args.submissions, forced, student=args.student,
                           manifest=args.manifest)
    if not items:
        raise batch.InputError(f"no .ipynb, .py or .zip files in {' '.join(args.submissions)}")
    progress = args.progress if args.progress is not None else sys.stderr.isatty() and len(items) > 1
    order = {id(i): n for n, i in enumerate(items)}
    graded = sorted(batch.grade_all(course, items, jobs=args.jobs, out_dir=args.out,
                                    progress=progress, lang=lang, dask=args.dask,
                                    keep_outputs=bool(args.html)),
                    key=lambda ir: order[id(ir[0])])
    results = [r for _, r in graded]
    if args.format == "json":
        print(report.render_json(results, lang))
    else:
        print(report.render_text(results, lang))
        if len(results) > 1:
            print(report.t("summary", lang, n=len(results),
                           n_passed=sum(r.passed for r in results),
                           n_errors=sum(r.error is not None for r in results)))
    if args.results:
        if len(results) != 1:
            raise batch.InputError("--results writes one submission's results.json; "
                                   "for several, use --out DIR")
        report.write_json(Path(args.results), report.gradescope(results[0], lang))
    if args.csv:
        report.write_csv(Path(args.csv), results)
    if args.out:
        report.write_csv(Path(args.out) / "scores.csv", results)
    if args.html:
        from autograder.html_report import write_reports
        write_reports(results, course, args.html, lang,
                      {r.path: {p.problem: p.outputs for p in r.problems if p.outputs}
                       for r in results})
    if args.gradebook:
        from autograder.gradebook import record
        n = record(args.gradebook, [(item.student, r) for item, r in graded], args.course_id)
        print(f"gradebook: {n} grades written")
    if any(r.error for r in results):
        return Exit.USAGE
    return Exit.OK if all(r.passed for r in results) else Exit.FAILED


def cmd_validate(args) -> Exit:
    from autograder import authoring, oracle, report
    from autograder.grading import grade_file
    course = _grading_course(args)
    lang = args.lang or course.language
    ok = True
    print(f"{course.root / 'course.yaml'}: valid, {len(course.assignments)} assignments, "
          f"devices {', '.join(oracle.devices_present())}")
    for a in course.assignments:
        result = grade_file(course, a, a.reference)
        print(report.render_text([result], lang))
        ok &= result.passed
        if not authoring.is_current(course, a):
            print(f"{authoring.notebook_path(course, a)}: out of date; run `autograder author`")
            ok = False
    return Exit.OK if ok else Exit.FAILED


def cmd_release(args) -> Exit:
    from autograder.release import release
    course = _course(args)
    assignment = course.assignment(args.assignment)
    path = release(course, assignment, Path(args.to or course.root / "build" / "nbgrader"),
                   db_url=args.db_url)
    print(f"released {assignment.id}: {path}")
    return Exit.OK


def cmd_author(args) -> Exit:
    from autograder import authoring
    course = _course(args)
    stale = []
    for a in course.assignments:
        if args.check:
            if not authoring.is_current(course, a):
                stale.append(str(authoring.notebook_path(course, a)))
        else:
            print(f"wrote {authoring.write_notebook(course, a)}")
    for path in stale:
        print(f"{path}: out of date with its lesson or reference; run `autograder author`")
    return Exit.FAILED if stale else Exit.OK


def cmd_secret(args) -> Exit:
    from autograder.course import find_course_file
    from autograder.secret import ENV, SecretError, secret_file, write_secret
    if os.environ.get(ENV):
        raise SecretError(f"${ENV} is set: the course secret comes from the environment; "
                          "unset it to write a file")
    # course.yaml is only located, not validated: an old one (seeds.hidden) asks for this
    course_file = Path(args.course) if args.course else find_course_file()
    path = write_secret(secret_file(course_file.resolve().parent), force=args.force)
    print(f"wrote the course secret to {path} (mode 0600; keep it: never release or commit it, "
          "and copy it to any grading machine)")
    return Exit.OK


def cmd_demo(args) -> Exit:
    from autograder.demo import run_demo
    course = _grading_course(args)
    return Exit.OK if run_demo(course, lang=args.lang or course.language, keep=args.keep) else Exit.FAILED


def _unsafe_option(p) -> None:
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="run student code WITHOUT isolation where the sandbox cannot start "
                        "(trusted code only); every grade is marked unsafe")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="autograder", description=__doc__)
    p.add_argument("--course", help="course.yaml (default: $AUTOGRADER_COURSE, or the nearest "
                                    "course.yaml above the working folder)")
    p.add_argument("--lang", choices=("en", "ko"), help="feedback language (default: the course's)")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade .ipynb / .py / .zip submissions, or folders of them",
                       description="Grade submissions: .ipynb or .py files, .zip archives of them "
                                   "(as Gradescope and GitHub Classroom upload), or folders of "
                                   "them. A symbolic link is refused, as is a FIFO or device, a "
                                   "file over 20 MB, and an archive holding a link or a path "
                                   "outside itself. The student id comes from --student, else "
                                   "--manifest, else nbgrader's submitted/STUDENT/ID/ layout, "
                                   "else the path below the folder given (without its suffix, "
                                   "folders joined by _, made a safe file name); two "
                                   "submissions for one student and assignment are an error.")
    g.add_argument("submissions", nargs="+")
    g.add_argument("--student", help="the student id of the one submission given")
    g.add_argument("--manifest", type=Path, help="a CSV of path,student rows naming each "
                                                 "submission's student (paths relative to it)")
    g.add_argument("--assignment", help="the assignment they answer (default: told from the path "
                                        "or from the functions defined)")
    g.add_argument("--format", choices=("text", "json"), default="text")
    g.add_argument("--results", help="write Gradescope's results.json for one submission here")
    g.add_argument("--csv", help="write every submission's scores to this CSV file")
    g.add_argument("--out", type=Path, help="folder for per-student results.json, scores.csv and "
                                            "the records that let a killed batch resume")
    g.add_argument("--html", type=Path, help="write an HTML feedback page per submission "
                                             "(with heatmaps) and a class overview index.html here")
    g.add_argument("--gradebook", help="also write the scores into nbgrader's gradebook: a course "
                                       "folder (its gradebook.db) or a database URL")
    g.add_argument("--course-id", default="course", help="nbgrader course id in the gradebook")
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: all cores)")
    g.add_argument("--dask", metavar="ADDRESS", help="grade on this Dask distributed scheduler "
                                                     "(e.g. tcp://10.0.0.5:8786) instead of locally")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: on a terminal)")
    _unsafe_option(g)
    g.set_defaults(run=cmd_grade)
    v = sub.add_parser("validate", help="course.yaml is valid and the reference scores full marks")
    _unsafe_option(v)
    v.set_defaults(run=cmd_validate)
    r = sub.add_parser("release", help="make the student notebook with nbgrader")
    r.add_argument("assignment")
    r.add_argument("--to", help="the nbgrader course folder (default: build/nbgrader)")
    r.add_argument("--db-url", help="nbgrader's gradebook database (default: SQLite in the "
                                    "course folder), e.g. postgresql+psycopg2://user@host/gradebook")
    r.set_defaults(run=cmd_release)
    a = sub.add_parser("author", help="rebuild assignments/*/ID.ipynb from lesson and reference")
    a.add_argument("--check", action="store_true", help="only say whether they are up to date")
    a.set_defaults(run=cmd_author)
    s = sub.add_parser("secret", help="make the course secret the hidden cases derive from "
                                      "(.autograder-secret next to course.yaml, or "
                                      "$AUTOGRADER_SECRET_FILE)")
    s.add_argument("--force", action="store_true", help="replace an existing secret (every "
                                                        "hidden case, and so every grade, changes)")
    s.set_defaults(run=cmd_secret)
    d = sub.add_parser("demo", help="release every assignment and grade the bundled samples")
    d.add_argument("--keep", type=Path, help="keep the demo course folder here")
    _unsafe_option(d)
    d.set_defaults(run=cmd_demo)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    from autograder.batch import InputError
    from autograder.course import CourseError
    from autograder.gradebook import GradebookError
    from autograder.isolation import SandboxUnavailable
    from autograder.release import ReleaseError
    from autograder.secret import SecretError
    try:
        return int(args.run(args))
    except CourseError as e:
        print(f"error: {e.path}:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return Exit.USAGE
    except (InputError, ReleaseError, GradebookError, SecretError) as e:
        print(f"error: {e}", file=sys.stderr)
        return Exit.USAGE
    except SandboxUnavailable as e:
        print(f"error: {e}; refusing to run student code without the sandbox (an instructor "
              "may pass --unsafe-no-sandbox; the grades are then marked unsafe)", file=sys.stderr)
        return Exit.USAGE
    except KeyError as e:                       # unknown assignment or problem
        print(f"error: {e.args[0]}", file=sys.stderr)
        return Exit.USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
