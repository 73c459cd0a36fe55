"""The `autograder` command: grade, validate, release, demo, author, secret, similarity,
report, history."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from enum import IntEnum
from pathlib import Path


class Exit(IntEnum):
    OK = 0          # everything passed
    FAILED = 1      # something did not pass
    USAGE = 2       # a usage or input error (bad course.yaml, unreadable file, unknown assignment)


class UsageError(Exception):
    """An ordinary mistake on the command line, found before any work starts (one line)."""


def _writable_folder(folder: Path, what: str) -> None:
    """UsageError unless a file can be made in `folder` (probed by making one: permissions,
    read-only file systems and root alike)."""
    if not folder.exists():
        raise UsageError(f"{what}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{what}: {folder} is not a folder")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".autograder-probe-")
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        raise UsageError(f"{what}: cannot write in {folder} ({e.strerror or e})") from None


def check_output_file(path, what: str) -> None:
    """A file to be written: its folder exists and is writable, and it is not a folder."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{what}: {path} is a folder; give a file name")
    _writable_folder(path.parent if str(path.parent) else Path("."), what)


def check_output_folder(path, what: str) -> None:
    """A folder to be written into (made if missing): it, or the nearest folder above it
    that exists, is a writable folder."""
    path = Path(os.path.abspath(path))
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{what}: {path} exists and is not a folder")
        _writable_folder(path, what)
        return
    above = path.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        raise UsageError(f"{what}: cannot make {path}: {above} is not a folder")
    _writable_folder(above, what)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def dask_client(address: str):
    """A connected Dask client, or UsageError at once: without the [cluster] extra, or when no
    scheduler answers at `address` (a refused connection fails in milliseconds, a silent
    host after a few seconds; never the default 30 s)."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs the cluster extra: pip install "
                         "'course-autograder[cluster]' (Dask distributed)") from None
    import socket
    from urllib.parse import urlsplit
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise UsageError(f"--dask {address}: not a scheduler address (tcp://HOST:PORT)") from None
    if parts.scheme in ("tcp", "tls") and host and port:
        try:
            socket.create_connection((host, port), timeout=5).close()
        except OSError as e:
            raise UsageError(f"--dask {address}: no Dask scheduler answers there "
                             f"({e.strerror or e})") from None
    try:
        return Client(address, timeout="10s")
    except Exception as e:                    # OSError, TimeoutError, a bad address
        raise UsageError(f"--dask {address}: cannot connect to a Dask scheduler "
                         f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})") from None


def _silence_stdout() -> None:
    """The reader went away (`| head`): send what is left of stdout nowhere, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


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


def check_grade_outputs(args) -> None:
    """Every place `grade` will write, checked before anything is graded."""
    if args.results:
        check_output_file(args.results, "--results")
    if args.csv:
        check_output_file(args.csv, "--csv")
    if args.out:
        check_output_folder(args.out, "--out")
    if args.html:
        check_output_folder(args.html, "--html")
    if args.for_students and not args.html:
        raise UsageError("--for-students shapes the --html pages; give --html FOLDER too")
    if args.gradebook:
        from autograder.gradebook import check_target
        check_target(args.gradebook)


def cmd_grade(args) -> Exit:
    check_grade_outputs(args)
    dask = dask_client(args.dask) if args.dask else None      # before PyTorch is imported
    try:
        return _grade(args, dask)
    finally:
        if dask is not None:
            dask.close()


def _grade(args, dask) -> Exit:
    from autograder import batch, report
    course = _grading_course(args)
    lang = args.lang or course.language
    forced = course.assignment(args.assignment) if args.assignment else None
    student, select = args.student, None
    if student is not None and any(os.path.isdir(p) for p in args.submissions):
        student, select = None, args.student          # regrade one student of a class
    items = batch.discover(course, args.submissions, forced, student=student,
                           manifest=args.manifest)
    if select is not None:
        from autograder.history import select_student
        items = select_student(items, select)
        if not items:
            from autograder.i18n import t
            raise UsageError(t("err.no_student", lang, student=select,
                               paths=" ".join(args.submissions)))
    if not items:
        raise batch.InputError(f"no .ipynb, .py or .zip files in {' '.join(args.submissions)}")
    if args.results and len(items) != 1:
        raise batch.InputError("--results writes one submission's results.json; "
                               "for several, use --out DIR")
    progress = args.progress if args.progress is not None else sys.stderr.isatty() and len(items) > 1
    order = {id(i): n for n, i in enumerate(items)}
    graded = sorted(batch.grade_all(course, items, jobs=args.jobs, out_dir=args.out,
                                    progress=progress, lang=lang, dask=dask,
                                    keep_outputs=bool(args.html)),
                    key=lambda ir: order[id(ir[0])])
    results = [r for _, r in graded]
    rows = [(item.student, r) for item, r in graded]
    if args.results:
        report.write_json(Path(args.results),
                          report.gradescope(results[0], lang, batch.results_policy(course)))
    if args.csv:
        report.write_csv(Path(args.csv), rows)
    if args.out and select is not None:
        from autograder.history import merge_scores
        merge_scores(Path(args.out) / "scores.csv", rows)
    elif args.out:
        report.write_csv(Path(args.out) / "scores.csv", rows)
    if args.html:
        from autograder.html_report import write_reports
        write_reports(results, course, args.html, lang,
                      {r.path: {p.problem: p.outputs for p in r.problems if p.outputs}
                       for r in results}, {r.path: student for student, r in rows},
                      for_students=args.for_students)
    lines = []
    if args.gradebook:
        from autograder.gradebook import record
        n = record(args.gradebook, rows, args.course_id)
        lines.append(f"gradebook: {n} grades written")
    if select is not None and args.out:
        lines += _regrade_lines(args.out, select, lang)
    if args.format == "json":
        text = report.render_json(results, lang)
    else:
        text = report.render_text(results, lang)
        if len(results) > 1:
            text += "\n" + report.t("summary", lang, n=len(results),
                                    n_passed=sum(r.passed for r in results),
                                    n_errors=sum(r.error is not None for r in results))
    try:
        print("\n".join([text, *lines]), flush=True)
    except BrokenPipeError:          # `| head`: the files are written; the rest is not wanted
        _silence_stdout()
    if any(r.error for r in results):
        return Exit.USAGE
    return Exit.OK if all(r.passed for r in results) else Exit.FAILED


def _regrade_lines(out, student: str, lang: str) -> list[str]:
    """After a one-student regrade: what changed since that student's previous grading."""
    from autograder import history
    lines = []
    for assignment, entries in history.read(out, student).items():
        if len(entries) >= 2:
            lines.append(history.render(student, {assignment: entries[-2:]}, lang))
    return lines


def _usage(key: str, lang: str, **fields) -> UsageError:
    from autograder.i18n import t
    return UsageError(t(key, lang, **fields))


def _existing(paths, lang: str) -> None:
    for path in paths:
        if not os.path.lexists(path):
            raise _usage("err.no_such", lang, path=path)


def _assignment_of(course, assignment_id: str, lang: str):
    try:
        return course.assignment(assignment_id)
    except KeyError:
        raise _usage("err.unknown_assignment", lang, assignment=assignment_id,
                     known=", ".join(a.id for a in course.assignments)) from None


def _output_folder(path, option: str, lang: str) -> None:
    try:
        check_output_folder(path, option)
    except UsageError as e:
        raise _usage("err.unwritable", lang, option=option, path=path,
                     why=str(e).split(": ", 1)[-1]) from None


def _graded_folder(path, lang: str) -> list:
    """(student, result) rows of a `grade --out` folder; UsageError where there are none."""
    from autograder.batch import read_records
    if not Path(path).is_dir():
        raise _usage("err.no_such", lang, path=path)
    rows = read_records(path)
    if not rows:
        raise _usage("err.no_records", lang, path=path)
    return rows


def cmd_similarity(args) -> Exit:
    """A review queue of similar code and identical wrong answers (autograder.similarity)."""
    course = _course(args)
    lang = args.lang or course.language
    _existing(args.submissions, lang)
    assignment = _assignment_of(course, args.assignment, lang)
    _output_folder(args.out, "--out", lang)
    if not 0 <= args.threshold <= 1:
        raise _usage("err.threshold", lang, value=args.threshold)
    _existing(args.boilerplate or [], lang)
    graded = _graded_folder(args.graded, lang) if args.graded else None
    from autograder import batch, similarity
    from autograder.i18n import t
    from autograder.report import printable
    from autograder.submission import SubmissionError
    items = batch.discover(course, args.submissions, assignment)
    codes, skipped = {}, []
    for item in items:
        if item.assignment is None or item.student in codes:
            skipped.append(printable(item.reason or item.name))
            continue
        try:
            codes[item.student] = similarity.submission_code(item.path)
        except SubmissionError as e:
            skipped.append(printable(str(e)))
    if not codes:
        raise _usage("err.no_submissions", lang, paths=" ".join(args.submissions))
    boilerplate = similarity.boilerplate_fingerprints(course, assignment, args.boilerplate or ())
    analysis = similarity.analyse(codes, assignment, boilerplate, args.common, args.threshold)
    analysis.skipped = skipped
    if graded is not None:
        analysis.graded = True
        analysis.shared_outputs = similarity.shared_wrong_outputs(
            {s: r for s, r in graded if r.assignment == assignment.id and s in codes},
            analysis.common)
    out = Path(args.out)
    similarity.write_outputs(analysis, out, lang)
    queued = sum(p.score >= analysis.threshold for ps in analysis.pairs.values() for p in ps)
    groups = sum(len(similarity.clusters(ps, analysis.threshold)) for ps in analysis.pairs.values())
    print(t("sim.summary", lang, assignment=assignment.id, n=len(codes), queued=queued,
            clusters=groups, shared=len(analysis.shared_outputs), out=out))
    return Exit.OK


def cmd_report(args) -> Exit:
    """Item analysis and the class overview from a `grade --out` folder's records."""
    course = _course(args)
    lang = args.lang or course.language
    rows = _graded_folder(args.folder, lang)
    out = Path(args.out) if args.out else Path(args.folder) / "report"
    _output_folder(out, "--out", lang)
    from autograder import item_analysis
    from autograder.html_report import render_report
    from autograder.i18n import t
    analyses, written, texts = [], [], []
    for assignment in dict.fromkeys(r.assignment for _, r in rows):
        analysis = item_analysis.analyse([(s, r) for s, r in rows if r.assignment == assignment],
                                         lang)
        analyses.append(analysis)
        written += item_analysis.write_csvs(analysis, out, lang)
        texts.append(item_analysis.render_text(analysis, lang))
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    tmp = page.with_name(page.name + ".tmp")
    tmp.write_text(render_report(rows, analyses, lang), encoding="utf-8")
    tmp.replace(page)
    written.append(page)
    print("\n".join(texts + [t("ia.written", lang, paths=", ".join(str(p) for p in written))]))
    return Exit.OK


def cmd_history(args) -> Exit:
    """A student's gradings over time and why the grade changed."""
    course = _course(args)
    lang = args.lang or course.language
    if not Path(args.folder).is_dir():
        raise _usage("err.no_such", lang, path=args.folder)
    from autograder import history
    histories = history.read(args.folder, args.student, args.assignment)
    if not histories:
        raise _usage("err.no_history", lang, student=args.student, path=args.folder)
    print(history.render(args.student, histories, lang))
    return Exit.OK


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
    to = Path(args.to or course.root / "build" / "nbgrader")
    check_output_folder(to, "--to")
    path = release(course, assignment, to, db_url=args.db_url, course_id=args.course_id,
                   exchange=args.exchange, lang=args.lang, force=args.force)
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


def cmd_check(args) -> Exit:
    """The public checks of a notebook, in this process (the student's own code, run by the
    student: GitHub Classroom's workflow in the student's repository)."""
    from autograder import registry
    from autograder.batch import InputError
    from autograder.classroom import notebook_namespace, public_check
    path = Path(args.notebook)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    names = args.problem or []
    for name in names:
        try:
            registry.get(name)
        except KeyError:
            raise InputError(f"--problem {name}: no such problem") from None
    namespace, problems = notebook_namespace(path)
    for line in problems:
        print(f"note: {line}")
    if not names:
        names = [n for n in registry.all_problems() if callable(namespace.get(n))]
        if not names:
            raise InputError(f"{path}: defines none of the problems' functions")
    passed = [public_check(namespace, name, args.lang) for name in names]
    return Exit.OK if all(passed) else Exit.FAILED


def cmd_classroom(args) -> Exit:
    from autograder.classroom import classroom_workflow
    course = _course(args)
    text = classroom_workflow(course, course.assignment(args.assignment), args.lang)
    if args.out:
        check_output_file(args.out, "--out")
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return Exit.OK


def cmd_gradescope(args) -> Exit:
    from autograder.gradescope import build_zip
    course = _course(args)
    assignment = course.assignment(args.assignment)
    out = Path(args.out or f"autograder-{assignment.id}.zip")
    check_output_file(out, "--out")
    for note in build_zip(course, assignment, out, args.lang):
        print(f"note: {note}")
    print(f"wrote {out}: upload it as the Gradescope assignment's autograder (zip upload)")
    return Exit.OK


def _unsafe_option(p) -> None:
    p.add_argument("--unsafe-no-sandbox", action="store_true",
                   help="run student code WITHOUT isolation where the sandbox cannot start "
                        "(trusted code only); every grade is marked unsafe")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake in one line on stderr (exit 2), not usage + error."""

    def error(self, message):
        self.exit(Exit.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common(sub: bool) -> argparse.ArgumentParser:
    """--course and --lang, accepted before the subcommand and after it; after it they do
    not reset what was given before (SUPPRESS)."""
    c = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if sub else None
    c.add_argument("--course", default=default,
                   help="course.yaml (default: $AUTOGRADER_COURSE, or the nearest course.yaml "
                        "above the working folder)")
    c.add_argument("--lang", choices=("en", "ko"), default=default,
                   help="language of feedback and released notebooks (default: the course's)")
    return c


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="autograder", description=__doc__, parents=[_common(False)],
                epilog="Exit status: 0 all passed, 1 something did not pass, 2 a usage or input "
                       "error (one line on stderr).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _common(True)

    def command(name, **kw):
        return sub.add_parser(name, parents=[common], **kw)
    g = command("grade", help="grade .ipynb / .py / .zip submissions, or folders of them",
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
    g.add_argument("--student", help="the student id of the one file given; with a folder, "
                                     "regrade only this student's submissions (--out: the "
                                     "others' rows stay, and what changed is said)")
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
    g.add_argument("--for-students", action="store_true",
                   help="with --html: pages to hand out, STUDENT-ASSIGNMENT.html, without "
                        "heatmaps or hidden-case values, and no class overview")
    g.add_argument("--gradebook", help="also write the scores into nbgrader's gradebook: a course "
                                       "folder (its gradebook.db) or a database URL")
    g.add_argument("--course-id", default="course", help="nbgrader course id in the gradebook")
    g.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: all cores)")
    g.add_argument("--dask", metavar="ADDRESS", help="grade on this Dask distributed scheduler "
                                                     "(e.g. tcp://10.0.0.5:8786) instead of locally")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: on a terminal)")
    _unsafe_option(g)
    g.set_defaults(run=cmd_grade)
    v = command("validate", help="course.yaml is valid and the reference scores full marks")
    _unsafe_option(v)
    v.set_defaults(run=cmd_validate)
    r = command("release", help="make the student notebook with nbgrader")
    r.add_argument("assignment")
    r.add_argument("--to", help="the nbgrader course folder (default: build/nbgrader)")
    r.add_argument("--db-url", help="nbgrader's gradebook database (default: SQLite in the "
                                    "course folder), e.g. postgresql+psycopg2://user@host/gradebook")
    r.add_argument("--course-id", help="nbgrader's course id (default: the config's, else "
                                       "'course')")
    r.add_argument("--exchange", help="nbgrader's exchange folder (Exchange.root), for "
                                      "nbgrader release_assignment / collect")
    r.add_argument("--force", action="store_true",
                   help="replace an edited source/ID notebook, and write nbgrader_config.py "
                        "even where it changes one of your settings")
    r.set_defaults(run=cmd_release)
    a = command("author", help="rebuild assignments/*/ID.ipynb from lesson and reference")
    a.add_argument("--check", action="store_true", help="only say whether they are up to date")
    a.set_defaults(run=cmd_author)
    s = command("secret", help="make the course secret the hidden cases derive from "
                                      "(.autograder-secret next to course.yaml, or "
                                      "$AUTOGRADER_SECRET_FILE)")
    s.add_argument("--force", action="store_true", help="replace an existing secret (every "
                                                        "hidden case, and so every grade, changes)")
    s.set_defaults(run=cmd_secret)
    k = command("check", help="run a notebook's public checks here (the student's side: "
                               "GitHub Classroom); exit 0 when all pass")
    k.add_argument("notebook")
    k.add_argument("--problem", action="append", help="a problem to check (repeatable; "
                                                      "default: every one the notebook defines)")
    k.set_defaults(run=cmd_check)
    c = command("classroom", help="write the GitHub Classroom workflow of an assignment "
                                  "(the student repository's public checks)")
    c.add_argument("assignment")
    c.add_argument("--out", help="the workflow file (default: standard output)")
    c.set_defaults(run=cmd_classroom)
    z = command("gradescope", help="package an assignment's Gradescope autograder "
                                    "(autograder.zip: setup.sh, run_autograder)")
    z.add_argument("assignment")
    z.add_argument("--out", help="the zip (default: autograder-ID.zip)")
    z.set_defaults(run=cmd_gradescope)
    m = command("similarity", help="a review queue of similar code per problem, and of "
                                    "identical wrong answers (nothing is decided for you)")
    m.add_argument("submissions", nargs="+")
    m.add_argument("--assignment", required=True, help="the assignment they answer")
    m.add_argument("--out", required=True, type=Path,
                   help="folder for pairs.csv, clusters.csv, shared_outputs.csv, index.html and "
                        "a page per queued pair")
    m.add_argument("--graded", type=Path, help="the folder of `autograder grade --out` for these "
                                               "submissions: pairs with the same wrong answers")
    m.add_argument("--threshold", type=float, default=0.7,
                   help="pairs from this score (0-1) get a page and form groups (default 0.7)")
    m.add_argument("--common", type=_positive_int,
                   help="passages in more than this many students' code are the lecture's style, "
                        "not evidence (default: 10, fewer in a small class)")
    m.add_argument("--boilerplate", action="append",
                   help="a file of code given to the class (the lecture's): not evidence (repeatable)")
    m.set_defaults(run=cmd_similarity)
    o = command("report", help="item analysis and the class overview from `grade --out`'s records")
    o.add_argument("folder", help="the folder of `autograder grade --out`")
    o.add_argument("--out", help="where to write the CSVs and index.html (default: FOLDER/report)")
    o.set_defaults(run=cmd_report)
    h = command("history", help="a student's gradings over time, and why the grade changed")
    h.add_argument("folder", help="the folder of `autograder grade --out`")
    h.add_argument("--student", required=True)
    h.add_argument("--assignment", help="only this assignment")
    h.set_defaults(run=cmd_history)
    d = command("demo", help="release every assignment and grade the bundled samples")
    d.add_argument("--keep", type=Path, help="keep the demo course folder here")
    _unsafe_option(d)
    d.set_defaults(run=cmd_demo)
    return p


def main(argv=None) -> int:
    """The command. Given no `argv` it is the process's own command line, and the process ends
    here: output flushed and exit handlers run, without the interpreter's slow teardown of
    PyTorch and every module (about 2 s of a single grade)."""
    args = parser().parse_args(argv)
    try:
        code = int(_run(args))
    except BrokenPipeError:         # `| head` closed the pipe: nothing more to say, quietly
        _silence_stdout()
        code = Exit.OK
    if argv is None:
        _end_process(code)
    return code


def _end_process(code: int) -> None:
    import atexit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            _silence_stdout()
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()         # the sandbox's fork servers, extracted archives, staging
    os._exit(code)


def _raised(e: BaseException, module: str, name: str) -> bool:
    """Whether `e` is `module.name`, without importing the module: an exception can only come
    from a module already loaded (so a usage error never pays for importing PyTorch)."""
    cls = getattr(sys.modules.get(module), name, None)
    return isinstance(cls, type) and isinstance(e, cls)


def _run(args) -> int:
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as e:
        if _raised(e, "autograder.course", "CourseError"):
            print(f"error: {e.path}:", file=sys.stderr)
            for problem in e.problems:
                print(f"  {problem}", file=sys.stderr)
        elif isinstance(e, UsageError) or any(_raised(e, m, n) for m, n in (
                ("autograder.batch", "InputError"), ("autograder.release", "ReleaseError"),
                ("autograder.gradebook", "GradebookError"), ("autograder.secret", "SecretError"))):
            print(f"error: {e}", file=sys.stderr)
        elif _raised(e, "autograder.isolation", "SandboxUnavailable"):
            print(f"error: {e}; refusing to run student code without the sandbox (an instructor "
                  "may pass --unsafe-no-sandbox; the grades are then marked unsafe)",
                  file=sys.stderr)
        elif isinstance(e, KeyError):             # unknown assignment or problem
            print(f"error: {e.args[0]}", file=sys.stderr)
        elif isinstance(e, OSError):              # a file or folder that cannot be read or written
            where = f"{e.filename}: " if e.filename else ""
            print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        else:
            raise
        return Exit.USAGE


if __name__ == "__main__":
    sys.exit(main())
