"""The course autograder: NumPy implementations of the CNN / RNN / LSTM lectures, graded
against PyTorch autograd in a sandbox that student code cannot influence."""

__all__ = ["check", "check_all"]


def check(name, fn, *, lang=None):
    """In a notebook: run the public cases of problem `name` on `fn` and print feedback.
    Returns nothing, so the cell shows the feedback alone (graded() asks selfcheck.check for
    the verdict)."""
    from autograder.selfcheck import check as _check
    _check(name, fn, lang=lang)


def check_all(assignment=None, *, lang=None):
    """In a notebook: every public check of its problems, on the functions defined in it."""
    import sys
    from autograder.selfcheck import check_all as _check_all
    return _check_all(assignment, lang=lang, namespace=sys._getframe(1).f_globals)
