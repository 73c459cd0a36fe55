"""Item analysis of one assignment from its recorded results: was each problem and each check
any good, what did the class get wrong, and who got what wrong.

A check is one hidden case in one dtype on one device. Every submission meets its own hidden
inputs, but the cases are the same rows for all (same names and sizes, other values), so a
check is the same question across the class. For each problem and each check: the pass rate,
and the discrimination index D = (share passing in the top third of the class by total score)
- (share passing in the bottom third), ranked by score, ties by student id; third = n // 3.
D near 1: the item separates strong from weak students; near 0 or below: it does not. An item
everyone passes, or no one passes, separates no one: a candidate to revise. Submissions that
could not be graded at all (no file, unreadable) are left out and counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from autograder import registry


@dataclass(frozen=True)
class Item:
    problem: str
    check: str                        # "" for the problem itself, else "case [dtype, device]"
    n: int
    n_pass: int
    p_top: float | None               # None when the class is too small for thirds
    p_bottom: float | None

    @property
    def pass_rate(self) -> float:
        return self.n_pass / self.n if self.n else 0.0

    @property
    def discrimination(self) -> float | None:
        return None if self.p_top is None else round(self.p_top - self.p_bottom, 4)

    @property
    def revise(self) -> str:
        """"all_pass", "all_fail" or ""."""
        if not self.n:
            return ""
        return "all_pass" if self.n_pass == self.n else "all_fail" if self.n_pass == 0 else ""


@dataclass(frozen=True)
class Mistake:
    problem: str
    kind: str                          # "named", "described", "error" or "none"
    key: str                           # the misconception's name, the pattern's key, or ""
    text: str                          # in words
    students: tuple[str, ...]


@dataclass
class Analysis:
    assignment: str
    ranked: list[tuple[str, float, float]]          # (student, score, max), best first
    top: list[str]
    bottom: list[str]
    problems: list[Item]
    checks: list[Item]
    mistakes: list[Mistake]
    failed: dict[str, list[tuple[str, str]]]        # student -> [(problem, mistake text)]
    excluded: list[str] = field(default_factory=list)

    @property
    def revise(self) -> list[Item]:
        return [i for i in self.problems + self.checks if i.revise]


def check_names(problem: registry.Problem, n_checks: int) -> list[tuple[str, str, str]] | None:
    """The (case, dtype, device) of every check of a graded problem, in grading order, told
    from the registry and how many checks there were (cpu only, or cpu and cuda); None where
    no device set gives that many."""
    cases = problem.sample_cases(0, hidden=True)
    for devices in (("cpu",), ("cpu", "cuda")):
        checks = []
        for case in cases:
            if case.raises is not None:
                checks.append((case.name, "float64", "cpu"))
                continue
            for dtype in (("float64", "float32") if problem.float32 else ("float64",)):
                checks += [(case.name, dtype, device) for device in devices]
        if len(checks) == n_checks:
            return checks
    return None


def check_outcomes(p) -> dict[tuple[str, str, str], bool] | None:
    """{(case, dtype, device): passed} of one graded problem, from its mismatches (an error
    recorded on cpu fails that case and dtype on every device)."""
    try:
        names = check_names(registry.get(p.problem), p.n_checks)
    except KeyError:
        return None
    if names is None:
        return None
    failed = set()
    errored = set()
    for m in p.mismatches:
        failed.add((m.case, m.dtype, m.device))
        if m.kind == "error":
            errored.add((m.case, m.dtype))
    out = {c: c not in failed and (c[0], c[1]) not in errored for c in names}
    if sum(out.values()) != p.n_passed:           # the record and the registry disagree
        return None
    return out


def check_label(case: str, dtype: str, device: str) -> str:
    return f"{case} [{dtype}, {device}]"


def mistake_of(p, lang: str) -> tuple[str, str, str]:
    """(kind, key, text) of a problem that did not pass."""
    from autograder.report import diagnosis_text, pattern_text, printable
    from autograder.i18n import detail, t
    if p.status == "error" and p.error:
        return "error", "", printable(detail(p.error, lang))
    try:
        if p.diagnosis:
            return "named", p.diagnosis, diagnosis_text(p.problem, p.diagnosis, lang)
        if p.pattern is not None:
            return "described", p.pattern.key, printable(pattern_text(p.pattern, lang))
    except (KeyError, StopIteration, ValueError, IndexError):
        pass
    return "none", "", t("ia.undiagnosed", lang)


def analyse(rows: list[tuple[str, object]], lang: str = "en") -> Analysis:
    """Item analysis of (student, result) rows of one assignment."""
    graded = [(s, r) for s, r in rows if not r.error]
    excluded = sorted(s for s, r in rows if r.error)
    assignment = rows[0][1].assignment if rows else ""
    ranked = sorted(graded, key=lambda sr: (-sr[1].score, sr[0]))
    third = len(ranked) // 3
    top = [s for s, _ in ranked[:third]]
    bottom = [s for s, _ in ranked[len(ranked) - third:]] if third else []

    def item(problem: str, check: str, outcome: dict[str, bool]) -> Item:
        def share(group):
            known = [outcome[s] for s in group if s in outcome]
            return sum(known) / len(known) if known else 0.0
        return Item(problem, check, len(outcome), sum(outcome.values()),
                    share(top) if third else None, share(bottom) if third else None)

    names = list(dict.fromkeys(p.problem for _, r in graded for p in r.problems))
    problems, checks = [], []
    for name in names:
        by_student = {s: next((p for p in r.problems if p.problem == name), None) for s, r in graded}
        by_student = {s: p for s, p in by_student.items() if p is not None}
        problems.append(item(name, "", {s: p.status == "pass" for s, p in by_student.items()}))
        outcomes = {s: check_outcomes(p) for s, p in by_student.items()}
        labels = list(dict.fromkeys(c for o in outcomes.values() if o for c in o))
        for c in labels:
            checks.append(item(name, check_label(*c),
                               {s: o[c] for s, o in outcomes.items() if o and c in o}))
    groups: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    failed: dict[str, list[tuple[str, str]]] = {}
    for s, r in ranked:
        for p in r.problems:
            if p.status == "pass":
                continue
            kind, key, text = mistake_of(p, lang)
            # a named mistake is one group; a described one groups by its words
            groups.setdefault((p.problem, kind, key if kind == "named" else text),
                              (text, []))[1].append(s)
            failed.setdefault(s, []).append((p.problem, text))
    mistakes = sorted((Mistake(problem, kind, key if kind == "named" else "", text,
                               tuple(sorted(students)))
                       for (problem, kind, key), (text, students) in groups.items()),
                      key=lambda m: (-len(m.students), names.index(m.problem)
                                     if m.problem in names else 0, m.text))
    return Analysis(assignment, [(s, r.score, r.max_score) for s, r in ranked], top, bottom,
                    problems, checks, mistakes, failed, excluded)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def write_csvs(analysis: Analysis, folder, lang: str = "en") -> list:
    """ID-items.csv, ID-mistakes.csv and ID-students.csv of assignment ID in `folder`."""
    from pathlib import Path
    from autograder.report import printable, write_table
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    a = analysis.assignment

    def write(name, header, rows):
        return write_table(folder / f"{a}-{name}.csv", header, rows)
    items = write("items", ["problem", "check", "n", "n_pass", "pass_rate", "p_top", "p_bottom",
                            "discrimination", "revise"],
                  [(i.problem, i.check, i.n, i.n_pass, _fmt(i.pass_rate), _fmt(i.p_top),
                    _fmt(i.p_bottom), _fmt(i.discrimination), i.revise)
                   for i in analysis.problems + analysis.checks])
    mistakes = write("mistakes", ["problem", "kind", "diagnosis", "text", "count", "students"],
                     [(m.problem, m.kind, m.key, m.text, len(m.students),
                       " ".join(printable(s) for s in m.students)) for m in analysis.mistakes])
    scores = {s: (score, top) for s, score, top in analysis.ranked}
    students = write("students", ["student", "score", "max_score", "failed"],
                     [(printable(s), round(scores[s][0], 4), scores[s][1],
                       " ; ".join(f"{p}: {text}" for p, text in analysis.failed.get(s, [])))
                      for s, _, _ in analysis.ranked])
    return [items, mistakes, students]


def render_text(analysis: Analysis, lang: str = "en") -> str:
    """The problems' pass rates and D, and how many items to revise, for the terminal."""
    from autograder.i18n import t
    out = [t("ia.header", lang, assignment=analysis.assignment, n=len(analysis.ranked),
             excluded=len(analysis.excluded))]
    width = max((len(i.problem) for i in analysis.problems), default=0)
    for i in analysis.problems:
        d = "-" if i.discrimination is None else f"{i.discrimination:+.2f}"
        out.append(f"  {i.problem:<{width}}  " + t("ia.problem_line", lang, rate=i.pass_rate,
                                                   n_pass=i.n_pass, n=i.n, d=d))
    out.append("  " + t("ia.revise_count", lang, n=len(analysis.revise)))
    return "\n".join(out)
