"""Every assignment, through the real grader: the reference scores full marks, each bundled
mistake loses points exactly where it says and its feedback names it, in both languages."""
import pytest

from autograder import authoring, batch, report
from autograder.demo import expectation_problems, make_samples




def all_samples(course, tmp):
    return [s for a in course.assignments for s in make_samples(course, a, tmp / a.id, None)]


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    samples = all_samples(course, tmp_path_factory.mktemp("samples"))
    items = [batch.Item(s.path, s.assignment, s.path.stem) for s in samples]
    results = dict((i.path, r) for i, r in batch.grade_all(course, items, jobs=2))
    return [(s, results[s.path]) for s in samples]


def test_the_reference_scores_full_marks(course):
    from autograder.grading import grade_file
    for a in course.assignments:
        result = grade_file(course, a, a.reference)
        assert result.passed, report.render_text([result])


def test_there_are_mistakes_for_every_assignment(graded, course):
    assert {s.assignment.id for s, _ in graded} == {a.id for a in course.assignments}
    assert len(graded) >= 40


def test_each_mistake_loses_points_only_where_it_breaks(graded):
    wrong = [f"{s.path.name}: {w}" for s, r in graded for w in expectation_problems(s, r)]
    assert not wrong, wrong
    assert all(r.score < r.max_score for s, r in graded)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_feedback_names_the_mistake(graded, lang):
    for sample, result in graded:
        broken = [p for p in result.problems if p.problem in sample.breaks]
        for p in broken:
            assert p.diagnosis == sample.diagnosis, (sample.path.name, p.problem, p.diagnosis)
            text = "\n".join(report.feedback_lines(p, lang))
            if sample.diagnosis:
                assert report.diagnosis_text(p.problem, sample.diagnosis, lang) in text
            else:
                assert p.pattern is not None and text


def test_committed_notebooks_are_built_from_lesson_and_reference(course):
    stale = [a.id for a in course.assignments if not authoring.is_current(course, a)]
    assert not stale, f"run `autograder author`: {stale}"


def test_notebooks_have_both_languages(course):
    for a in course.assignments:
        for lang in ("en", "ko"):
            nb = authoring.build_notebook(course, a, lang)
            graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
            assert len(graded) == len(a.problems)
