"""The student's side without PyTorch and without the course: the released notebook carries
its public cases, their answers, its language and its public-case settings; `check()` and
`check_all()` read them in a real Jupyter kernel where torch cannot be imported, speak the
notebook's language, and say what grading's own rules say."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import oracle, public_data, registry, selfcheck
from autograder.i18n import detail, t
from tests.conftest import ROOT

# what a student's kernel cannot import here: torch (the oracle), and the grader's own
# dependencies (course.yaml's parser, nbgrader); scipy stays, as a student may have it
BLOCKER = '''import sys
BLOCKED = ("torch", "yaml", "nbformat", "nbgrader")
class _Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
sys.meta_path.insert(0, _Blocker())
'''

NO_BIAS = """def conv_forward(x, w, b, stride, pad):
    out = conv_forward_reference(x, w, b, stride, pad)
    return out - b.reshape(1, -1, 1, 1)
"""

SCIPY = """from scipy.signal import correlate2d
def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    return correlate2d(np.pad(x, pad), w, mode="valid")[::stride, ::stride] + b
"""


ACCEPTANCE = """class SizeError(ValueError):
    pass
def conv_output_size(H, W, FH, FW, P, S):
    if S < 1 or P < 0 or FH > H + 2 * P or FW > W + 2 * P:
        raise SizeError("bad size")
    OH, OW = (H + 2 * P - FH) // S + 1, (W + 2 * P - FW) // S + 1
    return {returns}
"""


def student_notebook(released_nb: Path, conv, dest: Path) -> Path:
    """The released notebook as a student would have it: every function answered (the
    reference), except conv_forward without its bias, conv2d_single through scipy.signal
    (forbidden) and conv_backward not written at all."""
    from autograder.authoring import reference_chunks
    solutions = reference_chunks(conv.reference)
    nb = nbformat.read(str(released_nb), as_version=4)
    for cell in nb.cells:
        name = cell.metadata.get("nbgrader", {}).get("grade_id", "").removeprefix("solution_")
        if cell.metadata.get("nbgrader", {}).get("solution") and name in solutions:
            cell.source = {"conv_forward": solutions["conv_forward"].replace(
                               "def conv_forward(", "def conv_forward_reference(", 1) + "\n" + NO_BIAS,
                           "conv2d_single": SCIPY,
                           "conv_backward": ""}.get(name, solutions[name])
    nbformat.write(nb, str(dest))
    return dest


def run_in_kernel(notebook: Path, extra_cells: list[str], env: dict) -> list[str]:
    """Execute the notebook and then `extra_cells` in a real Jupyter kernel started in the
    notebook's folder with `env`; every code cell's text output (stream and result)."""
    import nbclient
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells += [nbformat.v4.new_code_cell(src) for src in extra_cells]
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(notebook.parent)}})
    client.execute(env=env)
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            texts.append("".join(o.get("text", "") or o.get("data", {}).get("text/plain", "")
                                 or "\n".join(o.get("traceback", [])) for o in cell.get("outputs", [])))
    return texts


@pytest.fixture(scope="module")
def torch_free_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("blocker")
    (folder / "sitecustomize.py").write_text(BLOCKER)
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]),
                AUTOGRADER_COURSE=str(folder / "no-course.yaml"))


# ---------------------------------------------------------------- the release
@pytest.mark.nbgrader
def test_the_released_notebook_carries_its_language_and_the_oracles_public_answers(released,
                                                                                   course, conv):
    _, released_nb = released                    # real nbgrader generate_assignment
    meta = json.loads(released_nb.read_text(encoding="utf-8"))["metadata"][public_data.KEY]
    assert meta["lang"] == course.language and meta["assignment"] == conv.id
    assert meta["order"] == [gp.name for gp in conv.problems]
    assert meta["public_seed"] == course.public_seed
    found = public_data.read(released_nb)
    for gp in conv.problems:
        shipped = found.case_set(gp.name)
        computed = oracle.public_cases(gp.problem, course.public_seed)
        assert [c.name for c in shipped.cases] == [c.name for c in computed.cases]
        for s, c in zip(shipped.cases, computed.cases):
            assert s.raises is c.raises
            for a, b in zip(s.args, oracle.cast_args(c.args, "float64")):
                assert np.array_equal(a, b) and type(a) is type(b)
        for case, values in computed.expected("float64", "cpu").items():
            assert all(np.array_equal(a, b) for a, b in zip(shipped.expected("float64", "cpu")[case],
                                                             values))
        for m in gp.problem.misconceptions:
            assert shipped.mimicked(m.name).keys() == computed.mimicked(m.name).keys()
        assert found.tolerance(gp.name) == gp.tolerance["float64"]


# ---------------------------------------------------------------- a real kernel without torch
@pytest.mark.nbgrader
def test_check_and_check_all_in_a_kernel_without_torch_speak_korean(released, course, conv,
                                                                     tmp_path, torch_free_env):
    _, released_nb = released
    assert course.language == "ko"
    folder = tmp_path / "student"
    folder.mkdir()
    notebook = student_notebook(released_nb, conv, folder / f"{conv.id}.ipynb")
    probe = ("import sys\ntry:\n    import torch\nexcept ImportError as e:\n    print('no torch:', e)\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'yaml', 'nbformat', "
             "'nbgrader'}))")
    texts = run_in_kernel(notebook, [probe, "from autograder import check_all\ncheck_all()"],
                          torch_free_env)
    lang = "ko"
    everything, probe_out, summary = "".join(texts[:-2]), texts[-2], texts[-1]
    assert "no torch:" in probe_out and probe_out.rstrip().endswith("[]")
    n = {gp.name: len(oracle.public_cases(gp.problem, course.public_seed).cases)
         for gp in conv.problems}
    for name in ("conv_output_size", "zero_pad", "conv2d_multi"):
        assert t("check.ok", lang, problem=name, n=n[name]) in everything
        assert t("graded_here", lang, problem=name) in everything
    no_bias = next(m for m in registry.get("conv_forward").misconceptions if m.name == "bias_missing")
    assert t("check.bad", lang, problem="conv_forward", n=n["conv_forward"], n_passed=0) in everything
    assert everything.count(no_bias.text["ko"]) == 1        # the graded cell: "see above"
    assert t("check.same", lang, line=t("check.bad", lang, problem="conv_forward",
                                        n=n["conv_forward"], n_passed=0)) in everything
    refused = "ImportError: import of 'scipy.signal._signaltools' is not allowed in this " \
              "assignment (implement it with NumPy)"
    assert detail(refused, lang) in everything              # the grader's message, in Korean
    # check_all: every problem once, in notebook order, then the summary (its repr) once
    firsts = [t("check.ok", lang, problem=name, n=n[name]) for name in
              ("conv_output_size", "zero_pad", "conv2d_multi")]
    firsts += [t("check.bad", lang, problem=name, n=n[name], n_passed=0)
               for name in ("conv2d_single", "conv_forward")]
    firsts += [t("check.undefined", lang, problem="conv_backward", n=n["conv_backward"])]
    for line in firsts:
        assert summary.count(line) == 1, (line, summary)
    positions = [summary.index(f"{gp.name}:") for gp in conv.problems]
    assert positions == sorted(positions)
    expected_summary = t("check.summary", lang, passed=3, total=6, n=sum(n.values()),
                         n_passed=sum(n[k] for k in ("conv_output_size", "zero_pad", "conv2d_multi")))
    assert summary.count(expected_summary) == 1, summary


# ---------------------------------------------------------------- the same verdicts as with torch
def test_the_shipped_answers_give_the_same_feedback_as_the_oracle(course, tmp_path, monkeypatch):
    """For every sample mistake of the demo (one per known misconception) and the reference,
    check()'s whole text from the notebook's answers is the text from PyTorch's."""
    from autograder.demo import mistakes_dir
    assignments = course.assignments
    folder = tmp_path / "nb"
    folder.mkdir()
    for a in assignments:
        (folder / f"{a.id}.ipynb").write_text(json.dumps(
            {"cells": [], "nbformat": 4, "nbformat_minor": 5,
             "metadata": {public_data.KEY: public_data.notebook_metadata(course, a, "en")}}))
    compared = 0
    for a in assignments:
        reference = a.reference.read_text(encoding="utf-8")
        sources = [reference] + [reference + "\n" + p.read_text(encoding="utf-8")
                                 for p in sorted(mistakes_dir(course, a).glob("*.py"))]
        if a.id == "01_convolution":             # the acceptance rule: grading's, both ways
            sources += [reference + "\n" + ACCEPTANCE.format(returns=r) for r in
                        ("[OH, OW]", "np.array([OH, OW])", "(OH, OW, 1)", "OH")]
        for source in sources:
            namespace: dict = {"__name__": "student"}
            exec(compile(source, "student", "exec"), namespace)
            for gp in a.problems:
                monkeypatch.chdir(ROOT)
                from_torch = selfcheck.outcome(gp.name, namespace[gp.name], "en")
                monkeypatch.chdir(folder)
                shipped = selfcheck.outcome(gp.name, namespace[gp.name], "en")
                assert shipped == from_torch
                compared += 1
    assert compared > 100
    verdicts = []                                # from the notebook's answers alone
    for returns in ("[OH, OW]", "np.array([OH, OW])", "(OH, OW, 1)", "OH"):
        namespace = {"__name__": "student", "np": np}
        exec(ACCEPTANCE.format(returns=returns), namespace)
        verdicts.append(selfcheck.outcome("conv_output_size", namespace["conv_output_size"],
                                          "en").passed)
    assert verdicts == [True, True, False, False]


def test_the_notebook_jupyter_names_comes_first(course, conv, tmp_path, monkeypatch, capsys):
    """Jupyter tells the kernel its notebook (JPY_SESSION_NAME): its language wins over a
    notebook of another language in the working folder."""
    from reference import convolution as ref
    for lang in ("en", "ko"):
        (tmp_path / f"{lang}.ipynb").write_text(json.dumps(
            {"cells": [], "nbformat": 4, "nbformat_minor": 5,
             "metadata": {public_data.KEY: public_data.notebook_metadata(course, conv, lang)}}))
    n = len(oracle.public_cases(registry.get("zero_pad"), course.public_seed).cases)
    monkeypatch.chdir(tmp_path)
    for lang in ("ko", "en"):
        monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / f"{lang}.ipynb"))
        selfcheck.check("zero_pad", ref.zero_pad)
        assert capsys.readouterr().out.strip() == t("check.ok", lang, problem="zero_pad", n=n)
    assert registry.get("zero_pad").oracle is not public_data._no_torch    # nothing left behind


# ---------------------------------------------------------------- the package alone
def test_the_wheel_with_numpy_alone_checks_a_released_notebook(course, conv, tmp_path):
    """`pip install --no-deps course-autograder numpy`, as the README says: the project's wheel
    and NumPy, nothing else on the path (no site-packages: no torch, no PyYAML)."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True, timeout=300)
    site = tmp_path / "site"
    with zipfile.ZipFile(next(wheels.glob("course_autograder-*.whl"))) as z:
        z.extractall(site)
    numpy_dir = Path(np.__file__).parent
    for path in (numpy_dir, numpy_dir.parent / "numpy.libs"):
        if path.exists():
            (site / path.name).symlink_to(path)
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / f"{conv.id}.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                    "source": conv.reference.read_text(encoding="utf-8")}],
         "nbformat": 4, "nbformat_minor": 5,
         "metadata": {public_data.KEY: public_data.notebook_metadata(course, conv, "ko")}}))
    code = ("import sys; sys.path[:0] = [%r]\n"
            "from autograder.classroom import notebook_namespace\n"
            "from autograder.selfcheck import check_all\n"
            "ns, problems = notebook_namespace(%r)\n"
            "print(repr(check_all(namespace=ns)))\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'yaml', 'scipy'}))\n"
            % (str(site), f"{conv.id}.ipynb"))
    proc = subprocess.run([sys.executable, "-S", "-c", code], cwd=folder, capture_output=True,
                          text=True, timeout=120, env={"PATH": os.environ.get("PATH", "")})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == "[]"
    n = {gp.name: len(oracle.public_cases(gp.problem, course.public_seed).cases)
         for gp in conv.problems}
    assert lines[-2] == t("check.summary", "ko", passed=len(n), total=len(n), n=sum(n.values()),
                          n_passed=sum(n.values()))
    for name in n:
        assert t("check.ok", "ko", problem=name, n=n[name]) in lines
