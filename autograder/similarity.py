"""Who may have copied whom: a review queue of similar code, per problem, offline.

For each problem, each student's document is the problem's function and the helpers it calls
(not the whole notebook), normalised: comments, docstrings and layout dropped, the function's
own names (arguments, variables, helpers) all read `V`, strings `S`, so renaming variables,
reordering functions or rewriting comments changes nothing. copydetect's robust winnowing
(MOSS's algorithm) picks the fingerprints of the normalised text's k-grams (hashed with
BLAKE2 here: copydetect's own hash is Python's, which changes from one process to the next).
Three kinds of fingerprint are not evidence and are dropped: the released starter code's and
the lesson's own snippets (boilerplate), and, as MOSS's `-m`, passages found in more than
`common` students' code (the lecture's style, written alike by many on their own). A pair's
score (score_pairs) is in [0, 1]: 1 when the two are the same code with something
distinctive in it.

Nothing is decided here: the output is a queue for a person to read (pairs.csv, clusters, a
page per pair with the matching passages side by side), plus pairs whose *wrong* answers were
byte-for-byte identical on the inputs every student shares (recorded by the grader: see
autograder.wrong_outputs).
"""
from __future__ import annotations

import ast
import builtins
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field
from html import escape
from itertools import combinations
from pathlib import Path

import numpy as np

from autograder.webfont import FAMILY

K = 25                 # characters of normalised code per k-gram (copydetect's noise threshold)
WINDOW = 4             # winnowing window: every shared passage of K + WINDOW - 1 chars is seen
THRESHOLD = 0.7        # a pair at or above this score is in the queue (page, cluster)
MIN_DISTINCT = 5       # shared distinctive fingerprints below which a score is scaled down
MIN_SIZE = 60          # fingerprints (about eight lines) below which code is short
_KEEP_NAMES = set(dir(builtins)) | {"np", "numpy", "math", "scipy", "self"}


# ----------------------------------------------------------------------------- normalising

@dataclass
class Document:
    """One student's code for one problem, normalised; `marks` are its tokens as (position
    in `text`, source start, source end), to show the matching passages in the original."""
    source: str
    text: str
    marks: list[tuple[int, int, int]]
    hashes: dict[int, list[int]] = field(default_factory=dict)   # fingerprint -> positions

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """The source range of the normalised characters [start, end)."""
        import bisect
        positions = [m[0] for m in self.marks]
        first = self.marks[max(0, bisect.bisect_right(positions, start) - 1)]
        final = self.marks[max(0, bisect.bisect_right(positions, end - 1) - 1)]
        return first[1], final[2]


def normalise(source: str, local: set[str] | None = None,
              skip: list[tuple[int, int]] = ()) -> tuple[str, list[tuple[int, int, int]]]:
    """(normalised text, its tokens as (position in the text, source start, source end)).
    Names in `local` (None: any name that is not a builtin, a keyword, NumPy or an attribute)
    become V, strings S, numbers and operators stay, comments and layout go, indentation is a
    brace. `skip`: source ranges left out (docstrings). A source that does not tokenize gives
    what came before the error."""
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    last = len(line_starts) - 1
    out: list[str] = []
    marks: list[tuple[int, int, int]] = []
    at, previous = 0, None
    NAME, OP, NUMBER, STRING = tokenize.NAME, tokenize.OP, tokenize.NUMBER, tokenize.STRING
    FSTRING = getattr(tokenize, "FSTRING_START", -1)
    try:
        for kind, text, (r0, c0), (r1, c1), _ in tokenize.generate_tokens(
                io.StringIO(source).readline):
            if kind == NAME:
                if keyword.iskeyword(text) or previous == "." or \
                        (text not in local if local is not None else text in _KEEP_NAMES):
                    word = text
                else:
                    word = "V"
            elif kind == OP or kind == NUMBER:
                word = text
            elif kind == STRING or kind == FSTRING:
                word = "S"
            elif kind == tokenize.INDENT:
                word = "{"
            elif kind == tokenize.DEDENT:
                word = "}"
            else:                                 # comments, newlines, the f-string's insides
                continue
            start = line_starts[min(r0 - 1, last)] + c0
            if skip and any(a <= start < b for a, b in skip):
                continue
            previous = text if kind == OP else None
            out.append(word)
            marks.append((at, start, max(line_starts[min(r1 - 1, last)] + c1, start + 1)))
            at += len(word)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return "".join(out), marks


@dataclass
class Function:
    """One top-level function of a submission: its text, the names it binds, the functions it
    calls, its docstrings' ranges; normalised on first use."""
    text: str
    local: set[str]
    calls: list[str]
    docstrings: list[tuple[int, int]]
    _normal: tuple[str, list] | None = None

    def normalised(self, helpers: set[str]) -> tuple[str, list[tuple[int, int]]]:
        if self._normal is None:
            self._normal = normalise(self.text, self.local | helpers, self.docstrings)
        return self._normal


def _function(node: ast.FunctionDef, lines: list[str]) -> Function:
    """A top-level function from its cell's parsed tree and lines (positions made relative
    to the function's own text, which starts at column 0)."""
    first = node.lineno - len(node.decorator_list)
    own = lines[first - 1:node.end_lineno]
    starts = [0]
    for line in own:
        starts.append(starts[-1] + len(line))
    local, calls, docs = set(), [], []
    for n in ast.walk(node):
        if isinstance(n, ast.arg):
            local.add(n.arg)
        elif isinstance(n, ast.Name):
            if isinstance(n.ctx, (ast.Store, ast.Del)):
                local.add(n.id)
        elif isinstance(n, ast.Call):
            if isinstance(n.func, ast.Name) and n.func.id not in calls:
                calls.append(n.func.id)
        elif isinstance(n, ast.alias):
            local.add((n.asname or n.name).split(".")[0])
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if n is not node:
                local.add(n.name)
            body = n.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                d = body[0]
                docs.append((starts[d.lineno - first] + d.col_offset,
                             starts[d.end_lineno - first] + d.end_col_offset))
    return Function("".join(own), local, calls, docs)


def top_level_functions(code: str) -> dict[str, Function]:
    """The functions a submission defines at top level (the last definition wins, as when
    the notebook runs). Cells are separated by form feeds and parsed one by one: a cell that
    does not parse is skipped, the others still count."""
    found: dict[str, Function] = {}
    for cell in code.split("\f"):
        try:
            tree = ast.parse(cell)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        lines = cell.splitlines(keepends=True)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                found[node.name] = _function(node, lines)
    return found


def problem_document(functions: dict[str, Function], problem: str,
                     problems: set[str]) -> Document | None:
    """The problem's function and, in the order they are first called, the helpers it calls
    (transitively; the other problems' functions are named by their calls, not included)."""
    if problem not in functions:
        return None
    helpers = {name for name in functions if name not in problems}
    order, todo = [], [problem]
    while todo:
        name = todo.pop(0)
        if name in order:
            continue
        order.append(name)
        todo += [c for c in functions[name].calls if c in helpers and c not in order]
    source, text, marks = "", "", []
    for name in order:
        fn = functions[name]
        own, own_marks = fn.normalised(helpers)
        marks += [(at + len(text), a + len(source), b + len(source)) for at, a, b in own_marks]
        source += fn.text.rstrip() + "\n\n"
        text += own
    return Document(source, text, marks)


# ----------------------------------------------------------------------------- fingerprints

def kgram_hashes(text: str) -> np.ndarray:
    """A 63-bit hash of every K characters of `text`, the same in every process (copydetect's
    own uses Python's per-process string hash, so a rerun would draw another queue)."""
    from hashlib import blake2b
    data = text.encode("utf-8", "surrogatepass")
    if len(text) != len(data):                   # non-ASCII: hash characters, not bytes
        return np.array([int.from_bytes(blake2b(text[i:i + K].encode("utf-8", "surrogatepass"),
                                                digest_size=8).digest(), "big") >> 1
                         for i in range(len(text) - K + 1)], dtype=np.int64)
    return np.array([int.from_bytes(blake2b(data[i:i + K], digest_size=8).digest(), "big") >> 1
                     for i in range(len(data) - K + 1)], dtype=np.int64)


def fingerprint(doc: Document, boilerplate: set[int]) -> Document:
    """The document's fingerprints: its k-gram hashes winnowed (copydetect's robust
    winnowing, MOSS's algorithm), boilerplate removed; each with its positions."""
    from copydetect.utils import winnow
    doc.hashes = {}
    if len(doc.text) < K:
        return doc
    hashes, idx = winnow(kgram_hashes(doc.text), WINDOW, remove_duplicates=False)
    for h, i in zip(hashes.tolist(), idx.tolist()):
        if h not in boilerplate:
            doc.hashes.setdefault(h, []).append(i)
    return doc


def text_fingerprints(text: str) -> set[int]:
    """Every k-gram hash of a normalised text (for boilerplate: all of them, not winnowed)."""
    return set(kgram_hashes(text).tolist()) if len(text) >= K else set()


_CODE_SPAN = re.compile(r"```(?:python)?\n(.*?)```|`([^`\n]+)`", re.DOTALL)


def lesson_snippets(markdown: str) -> list[str]:
    """The code in a lesson: fenced blocks and inline code, with the lecture's implicit
    multiplication (`2P`) written out as Python (`2 * P`)."""
    snippets = []
    for block, inline in _CODE_SPAN.findall(markdown):
        code = block or inline
        snippets.append(re.sub(r"\b(\d+)([A-Za-z_])", r"\1 * \2", code))
    return snippets


STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()\n"


def starter_code(assignment) -> dict[str, str]:
    """Each problem's released cell (signature, docstring, nbgrader's stub), as
    `nbgrader generate_assignment` makes it from the source notebook."""
    from autograder.authoring import reference_chunks
    out = {}
    for name, cell in reference_chunks(assignment.reference).items():
        kept, inside = [], False
        for line in cell.splitlines():
            if line.strip() == "### BEGIN SOLUTION":
                inside = True
                kept.append(STUB.rstrip("\n"))
            elif line.strip() == "### END SOLUTION":
                inside = False
            elif not inside:
                kept.append(line)
        out[name] = "\n".join(kept) + "\n"
    return out


def boilerplate_fingerprints(course, assignment, extra_files=()) -> dict[str, set[int]]:
    """Per problem: the fingerprints of its released starter code, of every lesson's code
    snippets (both languages) and of `extra_files` (the lecture's own code, say)."""
    shared: set[int] = set()
    folder = course.root / "assignments" / assignment.id
    for lesson in sorted(folder.glob("lesson.*.md")):
        for snippet in lesson_snippets(lesson.read_text(encoding="utf-8")):
            shared |= text_fingerprints(normalise(snippet)[0])
    for path in extra_files:
        code = Path(path).read_text(encoding="utf-8")
        shared |= text_fingerprints(normalise(code)[0])
        functions = top_level_functions(code)
        for name in functions:
            doc = problem_document(functions, name, set())
            if doc is not None:
                shared |= text_fingerprints(doc.text)
    problems = {gp.name for gp in assignment.problems}
    starters = starter_code(assignment)
    out = {}
    for name in problems:
        own = set(shared)
        if name in starters:
            doc = problem_document(top_level_functions(starters[name]), name, problems)
            if doc is not None:
                own |= text_fingerprints(doc.text)
        out[name] = own
    return out


# ----------------------------------------------------------------------------- comparing

@dataclass(frozen=True)
class Pair:
    problem: str
    student_a: str
    student_b: str
    score: float
    shared: int                  # distinctive fingerprints in common


def score_pairs(docs: dict[str, Document], common: int) -> list[Pair]:
    """Every pair of students with distinctive code in common for one problem, highest
    first. A fingerprint is distinctive when at most `common` students' documents have it.
    A pair's score is a Jaccard index that leaves the shared common passages out:
    shared distinctive / (shared distinctive + fingerprints only one of the two has), so that
    1 means the two are the same code and anything either wrote differently lowers it. It is
    scaled down when fewer than MIN_DISTINCT distinctive fingerprints are shared (a few chance
    matches are not a copy) and when the shorter document has under MIN_SIZE fingerprints
    (two short functions written alike on their own are common)."""
    holders: dict[int, list[str]] = {}
    for student, doc in docs.items():
        for h in doc.hashes:
            holders.setdefault(h, []).append(student)
    counts: dict[tuple[str, str], int] = {}
    for students in holders.values():
        if 2 <= len(students) <= common:
            for a, b in combinations(sorted(students), 2):
                counts[a, b] = counts.get((a, b), 0) + 1
    pairs = []
    for (a, b), n in counts.items():
        differ = len(docs[a].hashes.keys() ^ docs[b].hashes.keys())
        size = min(len(docs[a].hashes), len(docs[b].hashes))
        score = n / (n + differ) * min(1.0, n / MIN_DISTINCT) * min(1.0, size / MIN_SIZE)
        pairs.append(Pair("", a, b, round(score, 4), n))
    pairs.sort(key=lambda p: (-p.score, -p.shared, p.student_a, p.student_b))
    return pairs


def default_common(n_students: int) -> int:
    """MOSS ignores a passage in more than 10 programs; a small class gets a smaller bound
    (5 at 40 students) so that the lecture's style is recognised as such."""
    return max(3, min(10, n_students // 8))


def clusters(pairs: list[Pair], threshold: float) -> list[list[str]]:
    """Groups of three or more students joined by pairs at or above `threshold`."""
    parent: dict[str, str] = {}

    def root(s):
        while parent.setdefault(s, s) != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s
    for p in pairs:
        if p.score >= threshold:
            parent[root(p.student_a)] = root(p.student_b)
    groups: dict[str, list[str]] = {}
    for s in parent:
        groups.setdefault(root(s), []).append(s)
    return sorted((sorted(g) for g in groups.values() if len(g) >= 3), key=lambda g: (-len(g), g))


def matching_passages(a: Document, b: Document, common_hashes: set[int]) -> tuple[list, list]:
    """The source ranges of each document covered by their shared distinctive fingerprints
    (copydetect's slices of the normalised text, mapped back to the source)."""
    from copydetect.utils import get_copied_slices
    shared = (set(a.hashes) & set(b.hashes)) - common_hashes

    def ranges(doc):
        idx = np.array([i for h in shared for i in doc.hashes[h]], dtype=np.int64)
        slices = get_copied_slices(idx, K)
        return _merge([doc.source_range(int(s), min(int(e), len(doc.text)))
                       for s, e in zip(slices[0], slices[1]) if int(s) < int(e)])
    return ranges(a), ranges(b)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(ranges):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


# ----------------------------------------------------------------------------- the run

@dataclass
class Analysis:
    assignment: str
    students: list[str]
    pairs: dict[str, list[Pair]]                 # by problem, highest first
    documents: dict[str, dict[str, Document]]     # problem -> student -> document
    common: int
    threshold: float
    common_hashes: dict[str, set[int]]
    shared_outputs: list["SharedOutput"] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)     # submissions that could not be read
    graded: bool = False                                  # wrong outputs were compared


def submission_code(path) -> str:
    """A submission's code cells, separated by form feeds (each parsed on its own)."""
    from autograder.submission import read_submission
    return "\f".join(source.replace("\f", " ") for _, source in read_submission(path).cells)


def analyse(codes: dict[str, str], assignment, boilerplate: dict[str, set[int]],
            common: int | None = None, threshold: float = THRESHOLD) -> Analysis:
    """Compare every student's code (`codes`: student -> code) problem by problem."""
    problems = [gp.name for gp in assignment.problems]
    common = common or default_common(len(codes))
    functions = {s: top_level_functions(code) for s, code in codes.items()}
    documents: dict[str, dict[str, Document]] = {}
    pairs: dict[str, list[Pair]] = {}
    common_hashes: dict[str, set[int]] = {}
    for problem in problems:
        docs = {}
        for student, fns in functions.items():
            doc = problem_document(fns, problem, set(problems))
            if doc is not None:
                docs[student] = fingerprint(doc, boilerplate.get(problem, set()))
        holders: dict[int, int] = {}
        for doc in docs.values():
            for h in doc.hashes:
                holders[h] = holders.get(h, 0) + 1
        common_hashes[problem] = {h for h, n in holders.items() if n > common}
        documents[problem] = docs
        pairs[problem] = [Pair(problem, p.student_a, p.student_b, p.score, p.shared)
                          for p in score_pairs(docs, common)]
    return Analysis(assignment.id, sorted(codes), pairs, documents, common, threshold,
                    common_hashes)


# ----------------------------------------------------------------------------- shared bugs

@dataclass(frozen=True)
class SharedOutput:
    """Two students whose wrong answers to one problem were identical, byte for byte, on the
    public inputs; `n_sharing` students gave that same answer."""
    problem: str
    student_a: str
    student_b: str
    digest: str
    n_sharing: int
    diagnosis: str


def shared_wrong_outputs(records: dict[str, object], common: int) -> list[SharedOutput]:
    """From graded results ({student: SubmissionResult}): every pair of students whose
    recorded wrong-output digest for a problem is the same, the rarest answers first."""
    by_answer: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for student, result in records.items():
        for p in result.problems:
            digest = getattr(p, "output_digest", None)
            if digest:
                by_answer.setdefault((p.problem, digest), []).append((student, p.diagnosis or ""))
    out = []
    for (problem, digest), who in by_answer.items():
        if len(who) < 2:
            continue
        diagnosis = next((d for _, d in who if d), "")
        for (a, _), (b, _) in combinations(sorted(who), 2):
            out.append(SharedOutput(problem, a, b, digest, len(who), diagnosis))
    out.sort(key=lambda s: (s.n_sharing > common, s.n_sharing, s.problem, s.student_a, s.student_b))
    return out


# ----------------------------------------------------------------------------- writing

def write_outputs(analysis: Analysis, out: Path, lang: str) -> list[Path]:
    """pairs.csv, clusters.csv, shared_outputs.csv, a page per queued pair and index.html."""
    from autograder.report import printable, write_table
    out.mkdir(parents=True, exist_ok=True)
    written = []
    rows = [(p.problem, printable(p.student_a), printable(p.student_b), f"{p.score:.4f}")
            for problem in analysis.pairs for p in analysis.pairs[problem]]
    written.append(write_table(out / "pairs.csv", ["problem", "student_a", "student_b", "score"],
                              rows))
    groups = {problem: clusters(pairs, analysis.threshold)
              for problem, pairs in analysis.pairs.items()}
    written.append(write_table(out / "clusters.csv", ["problem", "cluster", "size", "students"],
                              [(problem, n, len(g), " ".join(printable(s) for s in g))
                               for problem, gs in groups.items() for n, g in enumerate(gs, 1)]))
    written.append(write_table(out / "shared_outputs.csv",
                              ["problem", "student_a", "student_b", "students_sharing",
                               "output_digest", "diagnosis"],
                              [(s.problem, printable(s.student_a), printable(s.student_b),
                                s.n_sharing, s.digest[:16], s.diagnosis)
                               for s in analysis.shared_outputs]))
    shared_pairs = {(s.problem, s.student_a, s.student_b): s for s in analysis.shared_outputs
                    if s.n_sharing <= analysis.common}
    pages: dict[tuple[str, str, str], str] = {}
    for problem, pairs in analysis.pairs.items():
        for p in pairs:
            if p.score >= analysis.threshold or (problem, p.student_a, p.student_b) in shared_pairs:
                pages[problem, p.student_a, p.student_b] = _pair_page_name(p)
    for (problem, a, b) in shared_pairs:
        if (problem, a, b) not in pages and a in analysis.documents.get(problem, {}) \
                and b in analysis.documents.get(problem, {}):
            pages[problem, a, b] = _pair_page_name(Pair(problem, a, b, 0, 0))
    scores = {(p.problem, p.student_a, p.student_b): p for ps in analysis.pairs.values() for p in ps}
    (out / "pairs").mkdir(exist_ok=True)
    for key, name in pages.items():
        problem, a, b = key
        pair = scores.get(key, Pair(problem, a, b, 0.0, 0))
        html = pair_page(pair, analysis, shared_pairs.get(key), lang)
        written.append(_write_text(out / "pairs" / name, html))
    written.append(_write_text(out / "index.html",
                               index_page(analysis, groups, pages, shared_pairs, lang)))
    return written


def _pair_page_name(p: Pair) -> str:
    from autograder.batch import safe_name
    return safe_name(f"{p.problem}--{p.student_a}--{p.student_b}", 150) + ".html"


def _write_text(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


CSS = """body{font-family:"FAMILY",system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;
text-align:left;vertical-align:top}.side{display:flex;gap:1em}.side>div{flex:1;min-width:0}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:.85em;
font-family:ui-monospace,monospace,"FAMILY"}mark{background:#ffd33d}
.note{color:#555}""".replace("FAMILY", FAMILY)


def _html(title: str, body: str, lang: str) -> str:
    """A self-contained page; its CSS carries the glyphs it shows (as the HTML reports)."""
    from autograder import webfont
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{webfont.font_face(title + body)}\n{CSS}"
            f"</style></head>\n<body>\n{body}\n</body></html>\n")


def highlighted(source: str, ranges: list[tuple[int, int]]) -> str:
    """The source, escaped, with the given ranges marked."""
    from autograder.report import printable
    parts, at = [], 0
    for s, e in ranges:
        parts.append(escape(printable(source[at:s], newlines=True)))
        parts.append(f"<mark>{escape(printable(source[s:e], newlines=True))}</mark>")
        at = e
    parts.append(escape(printable(source[at:], newlines=True)))
    return "".join(parts)


def pair_page(pair: Pair, analysis: Analysis, shared: SharedOutput | None, lang: str) -> str:
    """Two students' code for one problem side by side, the matching passages marked."""
    from autograder.i18n import t
    from autograder.report import printable
    docs = analysis.documents.get(pair.problem, {})
    a, b = docs.get(pair.student_a), docs.get(pair.student_b)
    title = t("sim.pair_title", lang, problem=pair.problem, a=printable(pair.student_a),
              b=printable(pair.student_b))
    body = [f"<h1>{escape(title)}</h1>",
            f"<p>{escape(t('sim.score_line', lang, score=pair.score, shared=pair.shared))}</p>",
            f'<p class="note">{escape(t("sim.review_note", lang))}</p>']
    if shared is not None:
        body.append(f"<p><strong>{escape(t('sim.same_wrong_output', lang, n=shared.n_sharing))}"
                    "</strong></p>")
    if a is not None and b is not None:
        ra, rb = matching_passages(a, b, analysis.common_hashes.get(pair.problem, set()))
        body.append('<div class="side">'
                    f"<div><h2>{escape(printable(pair.student_a))}</h2><pre>{highlighted(a.source, ra)}</pre></div>"
                    f"<div><h2>{escape(printable(pair.student_b))}</h2><pre>{highlighted(b.source, rb)}</pre></div>"
                    "</div>")
    return _html(title, "\n".join(body), lang)


def index_page(analysis: Analysis, groups, pages, shared_pairs, lang: str) -> str:
    from autograder.i18n import t
    from autograder.report import printable
    title = t("sim.title", lang, assignment=analysis.assignment)
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="note">{escape(t("sim.review_note", lang))}</p>',
            f"<p>{escape(t('sim.method', lang, n=len(analysis.students), common=analysis.common, threshold=analysis.threshold))}</p>"]
    if analysis.skipped:
        body.append("<p>" + escape(t("sim.skipped", lang, n=len(analysis.skipped))) + "</p><ul>"
                    + "".join(f"<li>{escape(printable(s))}</li>" for s in analysis.skipped) + "</ul>")
    for problem, pairs in analysis.pairs.items():
        body.append(f"<h2>{escape(problem)}</h2>")
        queued = [p for p in pairs if (problem, p.student_a, p.student_b) in pages]
        if queued:
            body.append(f"<table><tr><th>{t('sim.student_a', lang)}</th><th>{t('sim.student_b', lang)}"
                        f"</th><th>{t('sim.score', lang)}</th><th></th></tr>" + "".join(
                f"<tr><td>{escape(printable(p.student_a))}</td><td>{escape(printable(p.student_b))}</td>"
                f"<td>{p.score:.2f}</td><td><a href=\"pairs/{escape(pages[problem, p.student_a, p.student_b])}\">"
                f"{t('sim.compare', lang)}</a>"
                + (f" · {escape(t('sim.same_wrong_output', lang, n=shared_pairs[problem, p.student_a, p.student_b].n_sharing))}"
                   if (problem, p.student_a, p.student_b) in shared_pairs else "")
                + "</td></tr>" for p in queued) + "</table>")
        else:
            body.append(f"<p>{escape(t('sim.nothing', lang, threshold=analysis.threshold))}</p>")
        for g in groups.get(problem, []):
            body.append(f"<p>{escape(t('sim.cluster', lang, n=len(g), students=', '.join(printable(s) for s in g)))}</p>")
    body.append(f"<h2>{escape(t('sim.shared_title', lang))}</h2>")
    if not analysis.graded:
        body.append(f"<p>{escape(t('sim.no_graded', lang))}</p>")
    elif not analysis.shared_outputs:
        body.append(f"<p>{escape(t('sim.no_shared', lang))}</p>")
    else:
        rows = []
        for s in analysis.shared_outputs:
            key = (s.problem, s.student_a, s.student_b)
            link = (f' <a href="pairs/{escape(pages[key])}">{t("sim.compare", lang)}</a>'
                    if key in pages else "")
            rows.append(f"<tr><td>{escape(s.problem)}</td><td>{escape(printable(s.student_a))}</td>"
                        f"<td>{escape(printable(s.student_b))}</td><td>{s.n_sharing}</td>"
                        f"<td>{escape(s.diagnosis)}{link}</td></tr>")
        body.append(f"<table><tr><th>{t('html.problem', lang)}</th><th>{t('sim.student_a', lang)}</th>"
                    f"<th>{t('sim.student_b', lang)}</th><th>{t('sim.sharing', lang)}</th>"
                    f"<th>{t('sim.diagnosis', lang)}</th></tr>" + "".join(rows) + "</table>")
    return _html(title, "\n".join(body), lang)
