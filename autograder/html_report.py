"""HTML feedback: one self-contained page per submission (inline CSS, images as data URIs)
and a class overview. Data first: the words come from report.feedback_lines; this module
only paints them. Heatmaps need the student's arrays, which results do not keep, so they
are passed in (`student_outputs`) and left out when absent.
"""
from __future__ import annotations

import base64
import hashlib
import io
import re
from collections import Counter
from html import escape
from pathlib import Path

import numpy as np

from autograder import oracle, webfont
from autograder.grading import SubmissionResult
from autograder.i18n import t
from autograder.secret import hidden_seed, load_secret
from autograder.report import (diagnosis_text, feedback_lines, mismatch_line, pattern_text,
                               printable)

BINS = ("0–25%", "25–50%", "50–75%", "75–99%", "100%")
CSS = """body{font-family:"FAMILY",system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4em;
text-align:left;vertical-align:top;overflow-wrap:anywhere}
table.results tr>:nth-child(-n+3){white-space:nowrap}.grid td,.grid th{text-align:right}
.grid td:first-child,.grid th:first-child{text-align:left}.wide{overflow-x:auto}
.pass{color:#1a7f37}.partial{color:#9a6700}
.fail,.error{color:#cf222e}ul{margin:0;padding-left:1.2em}figure{display:inline-block;margin:.3em}
figcaption{font-size:.85em;text-align:center}.maps p{font-size:.85em;color:#555;margin:.2em}
.bars{display:flex;align-items:flex-end;gap:4px;height:70px}.bar{width:52px;text-align:center;
font-size:.75em}.bar div{background:#4c72b0}""".replace("FAMILY", webfont.FAMILY)


def _page(title: str, body: str, lang: str) -> str:
    """A self-contained page: its CSS carries the glyphs it shows (webfont)."""
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{webfont.font_face(title + body)}\n{CSS}"
            f"</style></head>\n<body>\n{body}\n</body></html>\n")


def _png(array: np.ndarray, cmap: str, vmin: float, vmax: float, mark: tuple[int, int]) -> str:
    """One small heatmap as a data URI; NaN and inf show in magenta."""
    import matplotlib
    from matplotlib.figure import Figure          # no pyplot: no global state, thread-safe
    from matplotlib.patches import Rectangle
    from matplotlib.patheffects import withStroke
    fig = Figure(figsize=(2.6, 2.2), dpi=100)
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(array), vmin=vmin, vmax=vmax, interpolation="nearest",
                      cmap=matplotlib.colormaps[cmap].with_extremes(bad="#ff00ff"))
    ax.add_patch(Rectangle((mark[1] - .5, mark[0] - .5), 1, 1, fill=False, ec="white", lw=1.2,
                           path_effects=[withStroke(linewidth=3, foreground="black")]))
    ax.set_xticks([]), ax.set_yticks([])
    fig.colorbar(image, ax=ax, shrink=.85)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def heatmaps(cases: oracle.CaseSet, m, student: tuple[np.ndarray, ...], lang: str) -> str:
    """Expected, student's and difference maps of the mismatch's worst 2-D slice; `cases`
    are the submission's hidden cases of the problem."""
    index = cases.problem.outputs.index(m.output)
    expected = np.asarray(cases.expected(m.dtype, m.device)[m.case][index])
    mine = np.asarray(student[index], dtype=np.float64)
    if mine.shape != expected.shape or expected.ndim < 2 or len(m.index) != expected.ndim:
        return ""
    lead = tuple(m.index[:-2])                        # 4-D: index[:2], 3-D: index[0]
    e, s = expected[lead], mine[lead]
    d = s - e
    finite = np.concatenate([e[np.isfinite(e)], s[np.isfinite(s)]])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    span = float(np.nanmax(np.abs(np.where(np.isfinite(d), d, np.nan)), initial=0.0)) or 1.0
    mark = tuple(m.index[-2:])
    images = [(t("html.expected", lang), _png(e, "viridis", lo, hi, mark)),
              (t("html.yours", lang), _png(s, "viridis", lo, hi, mark)),
              (t("html.diff", lang), _png(d, "RdBu_r", -span, span, mark))]
    where = "[" + ", ".join([*(str(i) for i in lead), ":", ":"]) + "]"
    figures = "".join(f'<figure><img src="{src}" alt="{escape(cap)}"><figcaption>{escape(cap)}'
                      f"</figcaption></figure>" for cap, src in images)
    note = t("html.slice", lang, output=m.output, case=m.case, dtype=m.dtype, device=m.device, where=where)
    return f'<div class="maps">{figures}<p>{escape(note)}</p></div>'


def _maps_for(result: SubmissionResult, course, p, student_outputs, lang: str) -> str:
    got = (student_outputs or {}).get(p.problem, {})
    m = next((m for m in p.mismatches if m.kind in ("values", "nonfinite")), None)
    if p.status == "pass" or m is None or m.case not in got or len(m.expected_shape) < 2 \
            or not result.digest:
        return ""
    try:
        gp = course.assignment(result.assignment).problem(p.problem)
    except KeyError:
        return ""
    seed = hidden_seed(load_secret(course.root), result.digest, gp.name)
    return heatmaps(oracle.CaseSet(gp.problem, seed, hidden=True), m, got[m.case], lang)


def student_lines(p, lang: str) -> list[str]:
    """The feedback a student may keep: what is wrong and why, without the hidden case's
    name, index or values (the mismatch line)."""
    lines = feedback_lines(p, lang)
    if p.mismatches:
        hidden = printable(mismatch_line(p.mismatches[0], p.problem, lang))
        lines = [line for line in lines if line != hidden]
    return lines


def render_submission(result: SubmissionResult, course, lang: str,
                      student_outputs: dict | None = None, student: str | None = None) -> str:
    """One submission's page: score, a row per problem, heatmaps where a map is wrong. For a
    `student` (--for-students): titled by the student id, no heatmaps, no hidden values."""
    title = printable(t("header", lang, path=student or result.path, assignment=result.assignment,
                        score=result.score, max_score=result.max_score))
    body = [f"<h1>{escape(title)}</h1>"]
    if result.error:
        error = result.error if not student else result.error.replace(result.path, student)
        body.append(f'<p class="error">{escape(t("status.error", lang))}: '
                    f'{escape(printable(error, newlines=True))}</p>')
    rows = []
    for p in result.problems:
        lines = "".join(f"<li>{escape(line)}</li>" for line in
                        (student_lines(p, lang) if student else feedback_lines(p, lang)))
        maps = "" if student else _maps_for(result, course, p, student_outputs, lang)
        rows.append(f'<tr><td>{escape(p.problem)}</td><td class="{p.status}">'
                    f'{escape(t(f"status.{p.status}", lang))}</td><td>{p.score:.4g} / {p.max_score:g}'
                    f"</td><td><ul>{lines}</ul>{maps}</td></tr>")
    if rows:
        body.append(f"<table class=\"results\"><tr><th>{t('html.problem', lang)}</th>"
                    f"<th>{t('html.status', lang)}</th>"
                    f"<th>{t('html.score', lang)}</th><th>{t('html.feedback', lang)}</th></tr>"
                    + "\n".join(rows) + "</table>")
    body += [f"<p>{escape(printable(t('note', lang, text=n), newlines=True))}</p>"
             for n in result.notes]
    return _page(title, "\n".join(body), lang)


def _bars(fractions: list[float]) -> str:
    """An inline bar chart of scores as fractions of the maximum, in BINS."""
    counts = Counter(4 if f >= 1 else min(int(f * 4), 3) for f in fractions)
    top = max(counts.values(), default=1)
    return '<div class="bars">' + "".join(
        f'<div class="bar">{counts[i]}<div style="height:{45 * counts[i] // top}px"></div>{label}</div>'
        for i, label in enumerate(BINS)) + "</div>"


def _mistake(p, lang: str) -> str:
    """What went wrong in one problem, in words: the named misconception, else the pattern
    the diagnosis described (a shape, a sign, an offset...), else nothing."""
    try:
        if p.diagnosis:
            return diagnosis_text(p.problem, p.diagnosis, lang)
        if p.pattern is not None:
            return printable(pattern_text(p.pattern, lang))
    except (KeyError, StopIteration, ValueError, IndexError):
        pass
    return ""


def _grid(results: list[SubmissionResult], problems: list[str], lang: str,
          students: dict[str, str]) -> str:
    """Every submission (by student id where known) x every problem, and the total; then the
    distribution of the totals."""
    head = "".join(f"<th>{escape(n)}</th>" for n in problems)
    rows = []
    for r in results:
        by = {p.problem: p for p in r.problems}
        cells = "".join(f'<td class="{by[n].status}">{by[n].score:.4g}</td>' if n in by
                        else "<td></td>" for n in problems)
        who = students.get(r.path) or r.path
        rows.append(f"<tr><td>{escape(printable(who))}</td>{cells}"
                    f"<td>{r.score:.4g} / {r.max_score:g}</td></tr>")
    totals = [r.score / r.max_score for r in results if r.max_score]
    return (f"<h2>{t('html.score', lang)}</h2>" + _bars(totals)
            + f'<div class="wide"><table class="grid"><tr><th>{t("html.submissions", lang)}</th>'
            f"{head}<th>{t('html.score', lang)}</th></tr>" + "".join(rows) + "</table></div>")


def render_overview(results: list[SubmissionResult], lang: str, links: dict[str, str] | None = None,
                    students: dict[str, str] | None = None) -> str:
    """The class: per problem its score distribution and pass rate; the commonest mistakes
    (named or described); a table of every submission (by student id) x problem with the
    distribution of the totals."""
    body = [f"<h1>{t('html.overview', lang)}</h1>"]
    by_problem: dict[str, list] = {}
    for r in results:
        for p in r.problems:
            by_problem.setdefault(p.problem, []).append(p)
    for name, checks in by_problem.items():
        n_pass = sum(p.status == "pass" for p in checks)
        top = max(p.max_score for p in checks) or 1
        stats = t("html.pass_rate", lang, rate=n_pass / len(checks), n_pass=n_pass, n=len(checks),
                  mean=sum(p.score for p in checks) / len(checks), max=top)
        body.append(f"<h3>{escape(name)}</h3><p>{escape(stats)}</p>"
                    + _bars([p.score / top for p in checks]))
    mistakes = Counter((p.problem, _mistake(p, lang)) for r in results for p in r.problems
                       if p.status != "pass" and _mistake(p, lang))
    body.append(f"<h2>{t('html.mistakes', lang)}</h2>")
    if mistakes:
        body.append(f"<table class=\"mistakes\"><tr><th>{t('html.count', lang)}</th>"
                    f"<th>{t('html.problem', lang)}</th><th>{t('html.mistake', lang)}</th></tr>"
                    + "".join(f'<tr><td class="count">{n}</td><td>{escape(prob)}</td>'
                              f"<td>{escape(text)}</td></tr>"
                              for (prob, text), n in mistakes.most_common()) + "</table>")
    else:
        body.append(f"<p>{t('html.no_mistakes', lang)}</p>")
    body.append(_grid(results, list(by_problem), lang, students or {}))
    body.append(f"<h2>{t('html.submissions', lang)}</h2><ul>")
    for r in results:
        label = escape(printable(f"{r.path}: {r.score:.4g} / {r.max_score:g}"))
        href = (links or {}).get(r.path)
        body.append(f'<li><a href="{escape(href)}">{label}</a></li>' if href else f"<li>{label}</li>")
    body.append("</ul>")
    return _page(t("html.overview", lang), "\n".join(body), lang)


def page_name(path: str) -> str:
    """A safe, unique file name for a submission's page."""
    safe = re.sub(r"[^A-Za-z0-9.-]+", "_", str(path)).strip("_")[-100:]
    return f"{safe}-{hashlib.sha1(str(path).encode()).hexdigest()[:8]}.html"


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def write_reports(results: list[SubmissionResult], course, out_dir, lang: str,
                  student_outputs_by_path: dict | None = None,
                  students: dict[str, str] | None = None, for_students: bool = False) -> list[Path]:
    """One page per submission plus index.html (the overview), each written atomically;
    `students` ({path: student id}) names the rows of the overview's table. `for_students`:
    pages to hand out instead, STUDENT-ID.html, without heatmaps or hidden values, and no
    overview (it shows the whole class)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if for_students:
        from autograder.batch import safe_name
        written = []
        for r in results:
            student = (students or {}).get(r.path) or Path(r.path).stem
            name = safe_name(f"{student}-{r.assignment}", 100) + ".html"
            written.append(_write(out / name, render_submission(r, course, lang, None, student)))
        return written
    links = {r.path: page_name(r.path) for r in results}
    written = [_write(out / links[r.path], render_submission(
        r, course, lang, (student_outputs_by_path or {}).get(r.path))) for r in results]
    return written + [_write(out / "index.html", render_overview(results, lang, links,
                                                                 students))]


# ----------------------------------------------------------------------------- item analysis

def _rate(x) -> str:
    return "" if x is None else f"{x:.0%}"


def render_item_analysis(analysis, lang: str) -> str:
    """The item analysis of one assignment as an HTML section: problems and checks (pass
    rate, discrimination, revision candidates), mistakes with their students, and each
    student's failed problems."""
    def items_table(items, with_check: bool) -> str:
        head = (f"<tr><th>{t('html.problem', lang)}</th>"
                + (f"<th>{t('ia.check', lang)}</th>" if with_check else "")
                + f"<th>{t('ia.pass_rate', lang)}</th><th>{t('ia.top', lang)}</th>"
                f"<th>{t('ia.bottom', lang)}</th><th>{t('ia.discrimination', lang)}</th>"
                f"<th>{t('ia.revise', lang)}</th></tr>")
        rows = "".join(
            f"<tr><td>{escape(i.problem)}</td>"
            + (f"<td>{escape(printable(i.check))}</td>" if with_check else "")
            + f"<td>{_rate(i.pass_rate)} ({i.n_pass}/{i.n})</td><td>{_rate(i.p_top)}</td>"
            f"<td>{_rate(i.p_bottom)}</td><td>{'' if i.discrimination is None else f'{i.discrimination:+.2f}'}</td>"
            f"<td>{escape(t(f'ia.revise.{i.revise}', lang)) if i.revise else ''}</td></tr>"
            for i in items)
        return f'<div class="wide"><table class="items">{head}{rows}</table></div>'

    a = analysis
    body = [f"<h2>{escape(t('ia.title', lang, assignment=a.assignment))}</h2>",
            f"<p>{escape(t('ia.method', lang, n=len(a.ranked), third=len(a.top), excluded=len(a.excluded)))}</p>",
            f"<h3>{t('ia.problems', lang)}</h3>", items_table(a.problems, False)]
    revise = a.revise
    body.append(f"<h3>{t('ia.revise_title', lang)}</h3>")
    body.append("<ul>" + "".join(
        f"<li>{escape(i.problem)}{' · ' + escape(printable(i.check)) if i.check else ''}: "
        f"{escape(t(f'ia.revise.{i.revise}', lang))}</li>" for i in revise) + "</ul>"
        if revise else f"<p>{t('ia.revise_none', lang)}</p>")
    body.append(f"<details><summary>{t('ia.checks', lang, n=len(a.checks))}</summary>"
                + items_table(a.checks, True) + "</details>")
    body.append(f"<h3>{t('html.mistakes', lang)}</h3>")
    body.append(f"<table class=\"mistakes\"><tr><th>{t('html.count', lang)}</th>"
                f"<th>{t('html.problem', lang)}</th><th>{t('html.mistake', lang)}</th>"
                f"<th>{t('ia.students', lang)}</th></tr>" + "".join(
                    f'<tr><td class="count">{len(m.students)}</td><td>{escape(m.problem)}</td>'
                    f"<td>{escape(m.text)}</td><td>{escape(', '.join(printable(s) for s in m.students))}</td></tr>"
                    for m in a.mistakes) + "</table>")
    body.append(f"<h3>{t('ia.per_student', lang)}</h3>")
    body.append(f"<table class=\"students\"><tr><th>{t('ia.student', lang)}</th>"
                f"<th>{t('html.score', lang)}</th><th>{t('ia.failed', lang)}</th></tr>" + "".join(
                    f"<tr><td>{escape(printable(s))}</td><td>{score:.4g} / {top:g}</td><td><ul>"
                    + "".join(f"<li>{escape(p)}: {escape(text)}</li>" for p, text in a.failed.get(s, []))
                    + "</ul></td></tr>" for s, score, top in a.ranked) + "</table>")
    if a.excluded:
        body.append(f"<p>{escape(t('ia.excluded', lang, students=', '.join(printable(s) for s in a.excluded)))}</p>")
    return "\n".join(body)


def render_report(rows, analyses, lang: str) -> str:
    """`autograder report`'s page: the class overview of the recorded results with each
    assignment's item analysis after it."""
    results = [r for _, r in rows]
    page = render_overview(results, lang, students={r.path: s for s, r in rows})
    body = page.split("<body>\n", 1)[1].rsplit("\n</body>", 1)[0]
    section = "\n".join(render_item_analysis(a, lang) for a in analyses)
    return _page(t("html.overview", lang), f"{body}\n{section}", lang)   # its font: every glyph
