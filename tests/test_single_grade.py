"""A single grade pays only for what it uses: the course, the registry and a notebook load
without PyTorch, IPython or nbformat; an oracle's gradient needs no SymPy; the shortcuts give
the same numbers and the same code as the long way. Real torch, real IPython, the real CLI."""
import subprocess
import sys

import numpy as np
import pytest
import torch

from autograder import oracle, registry, submission
from tests.conftest import ROOT

NOTEBOOK = ROOT / "assignments" / "01_convolution" / "01_convolution.ipynb"


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_course_registry_and_notebook_load_without_torch_ipython_or_nbformat():
    out = run_python(
        "import sys\n"
        "from autograder.course import load_course\n"
        "from autograder import batch, grading, registry\n"
        "from autograder.secret import submission_digest\n"
        "from autograder.submission import read_submission\n"
        "course = load_course()\n"
        f"s = read_submission({str(NOTEBOOK)!r})\n"
        "plan = [c for a in course.assignments for c in grading.plan(\n"
        "    a, grading.hidden_cases(a, b'k' * 32, submission_digest(s.cells)))]\n"
        "print(len(registry.all_problems()), sum(len(a.problems) for a in course.assignments),\n"
        "      len(plan),"
        " sorted(m for m in ('torch', 'IPython', 'nbformat', 'nbgrader') if m in sys.modules))\n")
    n_problems, n_graded, n_calls, loaded = out.split(maxsplit=3)
    assert int(n_problems) == int(n_graded) > 20 and int(n_calls) > 200
    assert loaded.strip() == "[]"


def test_an_oracle_gradient_does_not_import_sympy():
    out = run_python(
        "import sys\n"
        "from autograder import oracle, registry\n"
        "for name in ('conv_backward', 'max_pool_backward', 'rnn_backward', 'lstm_step_backward'):\n"
        "    oracle.CaseSet(registry.get(name), 3, hidden=True).expected('float64', 'cpu')\n"
        "print('torch' in sys.modules, 'sympy' in sys.modules)\n")
    assert out.split() == ["True", "False"]


@pytest.mark.parametrize("shape", [(2, 3, 4), (5,)])
def test_vjp_is_what_backward_leaves_in_grad(shape):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(shape, dtype=torch.float64, generator=g)
    up1, up2 = torch.randn(shape, dtype=torch.float64, generator=g), torch.randn(
        shape, dtype=torch.float64, generator=g)

    def outputs(x):
        y = torch.tanh(x) * x
        return y, torch.sigmoid(y) + x ** 3

    a = x.clone().requires_grad_(True)
    torch.autograd.backward(outputs(a), (up1, up2))
    b = x.clone().requires_grad_(True)
    grad, = oracle.vjp(outputs(b), (b,), (up1, up2))
    assert torch.equal(a.grad, grad)                     # the same numbers, bit for bit


def test_vjp_refuses_an_upstream_of_another_shape_as_torch_does():
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        oracle.vjp((x * 2,), (x,), (torch.ones(1, dtype=torch.float64),))
    with pytest.raises(RuntimeError):
        torch.autograd.backward((x * 2,), (torch.ones(1, dtype=torch.float64),))


def test_vjp_gives_none_for_an_input_the_outputs_do_not_reach():
    x = torch.ones(2, dtype=torch.float64, requires_grad=True)
    unused = torch.ones(2, dtype=torch.float64, requires_grad=True)
    gx, gu = oracle.vjp((x * 3,), (x, unused), (torch.ones(2, dtype=torch.float64),))
    assert gx.tolist() == [3.0, 3.0] and gu is None


def test_the_oracle_answers_through_the_lazy_import_as_torch_itself():
    problem = registry.get("conv_forward")
    cases = oracle.CaseSet(problem, 7, hidden=True)
    case = next(c for c in cases.cases if c.raises is None)
    x, w, b, stride, pad = (torch.from_numpy(np.array(a)) if isinstance(a, np.ndarray) else a
                            for a in case.args)
    direct = torch.nn.functional.conv2d(x, w, b, stride=stride, padding=pad).numpy()
    assert np.array_equal(cases.expected("float64", "cpu")[case.name][0], direct)
    assert torch.backends.cuda.matmul.allow_tf32 is False     # set when the oracle loads torch


CELLS = [
    "import numpy as np\n\ndef f(x):\n    return x % 3 != 0\n",
    "%time f(1)\nx = !ls\ny = 2",
    "x = %who_ls\nprint(x)",
    "f?\nz = 1",
    ">>> a = 1\n>>> a",
    "In [1]: b = 2",
    "[nav] In [3]: c = 3",
    "    indented = 1\n    more = 2",
    "\n\nafter_blank = 1",
    "for i in range(3):\n    x = i\n        \nprint(x)",
    "s = 'a'\r\nt = 'b'",
    "text = 'form\x0cfeed'",
    "x = 1 if t % k == 0 else 2\nok = a != b",
    "values = [1, 2, 3]\n...\n",
    ",f a b",
    "/f a",
    "%%time\nx = 1",
    "",
    "\n\n",
    "def g():\n    '''Doc?'''\n    return 1",
]


@pytest.mark.parametrize("cell", CELLS)
def test_cells_without_ipython_syntax_come_out_as_ipython_would_leave_them(cell, monkeypatch):
    quick = submission.plain_python(cell)
    monkeypatch.setattr(submission, "_may_change", lambda lines: True)     # always ask IPython
    assert quick == submission.plain_python(cell)


def test_a_plain_notebook_is_read_without_importing_ipython():
    out = run_python(
        "import sys\n"
        "from autograder.submission import read_submission\n"
        f"s = read_submission({str(NOTEBOOK)!r})\n"
        "print(len(s.cells), 'IPython' in sys.modules)\n")
    n, loaded = out.split()
    assert int(n) > 5 and loaded == "False"


def test_one_notebook_is_graded_by_the_command(tmp_path):
    one = tmp_path / "one.ipynb"
    one.write_bytes(NOTEBOOK.read_bytes())
    done = subprocess.run([sys.executable, "-m", "autograder", "--lang", "en", "grade", str(one)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "13 / 13" in done.stdout and "conv_backward" in done.stdout
