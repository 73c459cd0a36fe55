"""What the graded cells of a released notebook call.

In the student's kernel `graded(name)` only says how the cell is graded and reruns the
public self-check. The score in nbgrader's gradebook does not come from here: the
`SandboxGrades` preprocessor (autograder.nbgrader_plugin) replaces this cell's output with
the sandboxed grade, so nothing defined in the notebook can change it.

A failing public check also writes one line to stderr: nbgrader's Validate (the student's
Validate button) counts a graded cell with stderr output as failing, so it reports the public
checks' real outcome instead of "Success!".
"""
from __future__ import annotations

import inspect
import sys


def graded(name: str) -> None:
    from autograder.i18n import t
    from autograder.selfcheck import check, settings
    print(t("graded_here", settings(name)[2], problem=name))
    fn = inspect.currentframe().f_back.f_globals.get(name)
    lang = settings(name)[2]
    if not callable(fn):
        print(t("graded_missing", lang, problem=name), file=sys.stderr)
    elif check(name, fn) is False:
        print(t("graded_failing", lang, problem=name), file=sys.stderr)
