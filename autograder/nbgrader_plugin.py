"""nbgrader integration: `nbgrader autograde` scores graded cells with the sandbox.

nbgrader's own autograde executes the notebook in the student's kernel and awards a test
cell's points when its output holds no error, so a notebook that redefines `np.allclose` or
`assert` passes. Here the Execute step is replaced by `SandboxGrades`: it grades the
submitted cells with the same sandboxed grader as `autograder grade` and writes each graded
cell's output itself (the feedback as text, the score as the cell's numeric result, which
nbgrader's SaveAutoGrades reads as partial credit).
"""
from __future__ import annotations

from pathlib import Path

from traitlets import Unicode

from nbgrader.preprocessors import NbGraderPreprocessor

TEST_PREFIX = "test_"


class SandboxGrades(NbGraderPreprocessor):
    course_file = Unicode("", help="course.yaml to grade with (default: found from the "
                                   "working folder upwards)").tag(config=True)
    lang = Unicode("", help="feedback language, en or ko (default: the course's)").tag(config=True)

    def preprocess(self, nb, resources):
        # the grader (and torch) only when autograde runs, never when nbgrader loads its config
        from nbformat.v4 import new_output
        from autograder.course import load_course
        from autograder.grading import grade_source
        from autograder.report import feedback_lines
        from autograder.submission import Submission, notebook_cells
        course = load_course(self.course_file or None)
        assignment = course.assignment(resources["nbgrader"]["assignment"])
        name = resources["nbgrader"].get("notebook", assignment.id)
        result = grade_source(course, assignment, Submission(Path(f"{name}.ipynb"), notebook_cells(nb)))
        by_name = {p.problem: p for p in result.problems}
        lang = self.lang or course.language
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id", "")
            if not (meta.get("grade") and grade_id.startswith(TEST_PREFIX)):
                continue
            check = by_name.get(grade_id[len(TEST_PREFIX):])
            points = float(meta.get("points", 0))
            fraction = check.score / check.max_score if check and check.max_score else 0.0
            text = "\n".join(feedback_lines(check, lang)) if check else "not graded: unknown problem"
            cell.outputs = [
                new_output("stream", name="stdout", text=text + "\n"),
                new_output("execute_result", data={"text/plain": f"{points * fraction:.4g}"},
                           execution_count=cell.get("execution_count")),
            ]
        self.log.info("sandbox graded %s: %.4g / %.4g", name, result.score, result.max_score)
        return nb, resources


def configure(c, course_file: str = "") -> None:
    """Put SandboxGrades in place of Execute in nbgrader's autograde pipeline."""
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    c.Autograde.autograde_preprocessors = [
        SandboxGrades, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
        AssignLatePenalties, CheckCellMetadata]
    if course_file:
        c.SandboxGrades.course_file = course_file
