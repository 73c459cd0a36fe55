"""autograder similarity on a synthetic class of 40 (tests/synthetic_class.py): three pairs copied
a whole notebook (renamed variables, reordered functions, other comments); the others wrote
each function on their own, most in the lecture's loop style. The copies rank above every
honest pair for each problem whose copied code is more than a few lines, no honest pair
reaches the review queue, and two students whose conv_backward returns the same wrong answer
byte for byte (from code that does not look alike) are flagged from their graded records."""
from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from autograder import similarity
from autograder.cli import Exit, main
from tests.synthetic_class import make_class, write_class

SUBSTANTIAL = similarity.MIN_SIZE      # fingerprints: below this, code is short (weak evidence)


@pytest.fixture(scope="module")
def cls():
    return make_class(40)


@pytest.fixture(scope="module")
def analysis(cls, course, conv):
    return similarity.analyse(cls.sources, conv,
                              similarity.boilerplate_fingerprints(course, conv))


def _score(pairs, a, b):
    a, b = sorted((a, b))
    return next((p.score for p in pairs if (p.student_a, p.student_b) == (a, b)), 0.0)


def test_copied_pairs_rank_above_every_honest_pair(cls, analysis):
    copying = {tuple(sorted(p)) for p in cls.copying}
    checked = 0
    for problem, pairs in analysis.pairs.items():
        honest = [p.score for p in pairs if (p.student_a, p.student_b) not in copying]
        best_honest = max(honest, default=0.0)
        for a, b in cls.copying:
            docs = analysis.documents[problem]
            if min(len(docs[a].hashes), len(docs[b].hashes)) < SUBSTANTIAL:
                continue                     # a few lines: written alike on their own too
            checked += 1
            assert _score(pairs, a, b) > best_honest, (problem, a, b, best_honest)
    # every copied problem of substance: conv_output_size, conv2d_single, conv2d_multi,
    # conv_forward and conv_backward for most pairs (zero_pad is one line for everyone)
    assert checked >= 12


def test_honest_solutions_in_the_lecture_style_are_not_queued(cls, analysis):
    copying = {tuple(sorted(p)) for p in cls.copying}
    loop_style = [s for s in cls.honest if "for " in cls.sources[s]]
    assert len(loop_style) >= 25
    for problem, pairs in analysis.pairs.items():
        queued = [(p.student_a, p.student_b, p.score) for p in pairs
                  if p.score >= analysis.threshold and (p.student_a, p.student_b) not in copying]
        assert queued == [], problem
    # and the copies are queued wherever their code is of substance
    for problem in ("conv2d_single", "conv_backward"):
        for a, b in cls.copying:
            assert _score(analysis.pairs[problem], a, b) >= analysis.threshold


def test_renaming_reordering_and_comments_do_not_change_the_document():
    one = ("import numpy as np\n\ndef _window(x, i, j, k):\n    return x[i:i + k, j:j + k]\n\n"
           "def conv2d_single(x, w, b=0.0, stride=1, pad=0):\n"
           "    '''My version.'''\n    out = np.zeros((2, 2))  # the output\n"
           "    for i in range(2):\n        for j in range(2):\n"
           "            out[i, j] = np.sum(_window(x, i, j, 2) * w) + b\n    return out\n")
    two = ("def conv2d_single(image, kernel, b=0.0, stride=1, pad=0):\n"
           "    result = np.zeros((2, 2))\n    # loop over every position\n"
           "    for r in range(2):\n        for c in range(2):\n"
           "            result[r, c] = np.sum(take(image, r, c, 2) * kernel) + b\n"
           "    return result\n\n\n# helper\ndef take(img, a, b2, size):\n"
           "    \"\"\"A window.\"\"\"\n    return img[a:a + size, b2:b2 + size]\n")
    docs = [similarity.problem_document(similarity.top_level_functions(code), "conv2d_single",
                                        {"conv2d_single"}) for code in (one, two)]
    assert docs[0].text == docs[1].text
    assert "np.sum(" in docs[0].text and "forVinrange(2)" in docs[0].text   # NumPy stays
    assert "My version" not in docs[0].text and "the output" not in docs[0].text
    # the helper is part of the problem's document; an unrelated function is not
    assert "returnV[V:V+V,V:V+V]" in docs[0].text


def test_the_starter_code_and_the_lesson_are_not_evidence(course, conv):
    boilerplate = similarity.boilerplate_fingerprints(course, conv)
    starters = similarity.starter_code(conv)
    assert "raise NotImplementedError()" in starters["conv_forward"]
    stub = {s: "import numpy as np\n\n" + "\n\n".join(starters.values()) for s in ("ann", "bob")}
    result = similarity.analyse(stub, conv, boilerplate)
    assert all(pairs == [] for pairs in result.pairs.values())
    for problem in result.documents:
        assert all(doc.hashes == {} for doc in result.documents[problem].values())
    # the lesson's formula, written out in Python, is boilerplate too
    formula = similarity.normalise("OH = (H + 2 * P - FH) // S + 1")[0]
    assert similarity.text_fingerprints(formula) <= boilerplate["conv_output_size"]


def test_the_same_code_gives_the_same_queue(cls, conv, course, analysis):
    boilerplate = similarity.boilerplate_fingerprints(course, conv)
    first = analysis.pairs
    second = similarity.analyse(dict(reversed(list(cls.sources.items()))), conv, boilerplate).pairs
    assert first == second
    code = ("import sys\nfrom autograder.similarity import kgram_hashes\n"
            "print(kgram_hashes('for V in range(V): V[V] += V * V'.replace(' ', '')).tolist())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}
    assert len(runs) == 1                     # not Python's per-process string hash


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def class_folder(cls, tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    sources = dict(cls.sources)
    a, b = cls.copying[0]
    head = "def conv_backward(dout, x, w, b, stride, pad):\n"
    sources[a] = sources[a].replace(head, head + "    # </pre><script>alert('x')</script>\n", 1)
    sources["s041"] = sources[a]             # a third copy of the same notebook: a group of 3
    cls41 = type(cls)(sources, cls.copying, cls.shared_bug, cls.mistakes, cls.honest)
    return write_class(cls41, root)


def test_the_command_writes_the_queue(class_folder, tmp_path, capsys, cls):
    out = tmp_path / "similarity"
    code = main(["similarity", str(class_folder), "--assignment", "01_convolution",
                 "--out", str(out), "--lang", "en"])
    assert code == Exit.OK, capsys.readouterr()
    rows = _rows(out / "pairs.csv")
    assert list(rows[0]) == ["problem", "student_a", "student_b", "score"]
    by_problem = {}
    for r in rows:
        assert 0 <= float(r["score"]) <= 1
        by_problem.setdefault(r["problem"], []).append(float(r["score"]))
    assert all(scores == sorted(scores, reverse=True) for scores in by_problem.values())
    a, b = cls.copying[0]
    groups = _rows(out / "clusters.csv")
    assert any(set(g["students"].split()) == {a, b, "s041"} and g["size"] == "3"
               for g in groups if g["problem"] == "conv_backward")
    page = out / "pairs" / f"conv_backward--{a}--{b}.html"
    html = page.read_text(encoding="utf-8")
    assert "<mark>" in html and html.count("<pre>") == 2
    assert "<script>" not in html and "&lt;/pre&gt;&lt;script&gt;" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"pairs/conv_backward--{a}--{b}.html" in index and "--graded" in index
    assert "pairs with the same wrong answer" in capsys.readouterr().out


@pytest.mark.parametrize("lang, word", [("en", "no such"), ("ko", "없습니다")])
def test_bad_input_is_one_line_and_exit_2(tmp_path, class_folder, lang, word):
    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "autograder", "similarity", *args,
                               "--lang", lang], capture_output=True, text=True)
        return proc.returncode, proc.stderr.strip()
    code, err = run(str(tmp_path / "missing"), "--assignment", "01_convolution",
                    "--out", str(tmp_path / "o"))
    assert code == 2 and len(err.splitlines()) == 1 and word in err and "missing" in err
    code, err = run(str(class_folder), "--assignment", "99_nothing", "--out", str(tmp_path / "o"))
    assert code == 2 and len(err.splitlines()) == 1 and "99_nothing" in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = run(str(class_folder), "--assignment", "01_convolution", "--out", str(blocker / "o"))
    assert code == 2 and len(err.splitlines()) == 1 and "--out" in err
    code, err = run(str(class_folder), "--assignment", "01_convolution", "--out",
                    str(tmp_path / "o"), "--graded", str(tmp_path))
    assert code == 2 and len(err.splitlines()) == 1 and str(tmp_path) in err
    assert not (tmp_path / "o").exists()


@pytest.fixture(scope="module")
def graded(class_folder, tmp_path_factory):
    """The class graded once, in the sandbox, with --out (its records hold the digests of
    wrong answers on the public inputs)."""
    out = tmp_path_factory.mktemp("graded")
    code = main(["grade", str(class_folder), "--out", str(out), "--jobs", "2", "--lang", "en"])
    assert code == Exit.FAILED
    return out


def test_the_shared_bug_is_flagged(graded, class_folder, tmp_path, cls, capsys):
    out = tmp_path / "similarity"
    assert main(["similarity", str(class_folder), "--assignment", "01_convolution", "--out",
                 str(out), "--graded", str(graded), "--lang", "en"]) == Exit.OK
    shared = _rows(out / "shared_outputs.csv")
    a, b = cls.shared_bug
    row = next(r for r in shared if (r["student_a"], r["student_b"]) == (a, b))
    assert row["problem"] == "conv_backward" and row["students_sharing"] == "2"
    assert row["diagnosis"] == ""                # no known mistake: the rarer, the stronger
    # their code does not look alike: the wrong answer is the evidence, not the text
    pairs = [r for r in _rows(out / "pairs.csv") if r["problem"] == "conv_backward"]
    code_score = next((float(r["score"]) for r in pairs
                       if (r["student_a"], r["student_b"]) == (a, b)), 0.0)
    assert code_score < 0.7
    page = (out / "pairs" / f"conv_backward--{a}--{b}.html").read_text(encoding="utf-8")
    assert "same wrong answer" in page
    # only wrong answers are digested: students right on a problem share nothing there
    honest_pairs = {(r["student_a"], r["student_b"]) for r in shared}
    assert not any(x in cls.honest and y in cls.honest and not cls.mistakes[x]
                   for x, y in honest_pairs)
