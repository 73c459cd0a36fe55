"""A syntax error at the end of an otherwise correct .py file: a .py file is one cell, so
nothing of it runs."""


def broken(:
    pass
