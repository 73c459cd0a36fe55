"""The course autograder: NumPy implementations of the CNN / RNN / LSTM lectures, graded
against PyTorch autograd in a sandbox that student code cannot influence."""

__all__ = ["check"]


def check(name, fn, *, lang=None):
    """In a notebook: run the public cases of problem `name` on `fn` and print feedback."""
    from autograder.selfcheck import check as _check
    return _check(name, fn, lang=lang)
