"""course.yaml: a valid file loads; every mistake is reported with its key path."""
import textwrap

import pytest

from autograder.course import CourseError, load_course



def write(tmp_path, text):
    (tmp_path / "reference").mkdir(exist_ok=True)
    (tmp_path / "reference" / "convolution.py").write_text("")
    path = tmp_path / "course.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """
course: Test course
language: en
assignments:
  - id: 01_convolution
    problems:
      conv_output_size: {points: 1}
      zero_pad: {points: 1}
      conv2d_single: {points: 2}
      conv2d_multi: {points: 2}
      conv_forward: {points: 3, tolerance: {float64: {rtol: 1.0e-8}}}
      conv_backward: {points: 4, devices: [cpu]}
"""


def test_the_bundled_course_loads(course):
    assert [a.id for a in course.assignments][:1] == ["01_convolution"]
    assert course.assignment("01_convolution").max_score == 13
    assert "torch" in course.forbidden_imports


def test_a_valid_file_keeps_its_settings(tmp_path):
    course = load_course(write(tmp_path, GOOD))
    conv = course.assignment("01_convolution")
    assert conv.problem("conv_forward").tolerance["float64"].rtol == 1e-8
    assert conv.problem("conv_backward").devices == ("cpu",)
    assert [p.name for p in conv.problems][0] == "conv_output_size"


@pytest.mark.parametrize("change, expected", [
    (("points: 3,", "points: -3,"), "assignments[0].problems.conv_forward.points: must be a positive number"),
    (("points: 3,", "points: three,"), "assignments[0].problems.conv_forward.points: must be a positive number"),
    (("zero_pad:", "zero_padd:"), "assignments[0].problems.zero_padd: no such problem in 01_convolution"),
    (("language: en", "language: fr"), "language: must be one of en, ko"),
    (("id: 01_convolution", "id: 09_nope"), "assignments[0].id: must name a known assignment"),
    (("devices: [cpu]", "devices: [tpu]"), "assignments[0].problems.conv_backward.devices: must be a non-empty list"),
    (("rtol: 1.0e-8", "rtol: -1"), "assignments[0].problems.conv_forward.tolerance.float64.rtol: must be a non-negative number"),
    (("course: Test course", "course: Test course\ncolour: blue"), "colour: unknown key"),
    (("language: en", "language: en\nseeds: {public: 0, hidden: 4172}"),
     "seeds.hidden: the hidden seed was replaced by the course secret"),
    (("points: 3,", "points: 3, seed: 7,"),
     "assignments[0].problems.conv_forward.seed: the hidden seed was replaced by the course secret"),
])
def test_each_mistake_names_its_key_path(tmp_path, change, expected):
    with pytest.raises(CourseError) as err:
        load_course(write(tmp_path, GOOD.replace(*change)))
    assert any(p.startswith(expected) for p in err.value.problems), err.value.problems


def test_every_mistake_is_reported_at_once(tmp_path):
    text = GOOD.replace("points: 3,", "points: 0,").replace("language: en", "language: xx")
    with pytest.raises(CourseError) as err:
        load_course(write(tmp_path, text))
    assert len(err.value.problems) == 2


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(CourseError) as err:
        load_course(write(tmp_path, "course: [unclosed\n"))
    assert "line" in err.value.problems[0] and "YAML" in err.value.problems[0]


def test_a_missing_problem_is_reported(tmp_path):
    with pytest.raises(CourseError) as err:
        load_course(write(tmp_path, GOOD.replace("      zero_pad: {points: 1}\n", "")))
    assert "assignments[0].problems: missing problems: zero_pad" in err.value.problems


def test_missing_file(tmp_path):
    with pytest.raises(CourseError, match="cannot read"):
        load_course(tmp_path / "nope.yaml")


def test_an_old_hidden_seed_says_how_to_move_on(tmp_path):
    with pytest.raises(CourseError) as err:
        load_course(write(tmp_path, GOOD.replace("language: en", "language: en\nseeds: {hidden: 1}")))
    assert err.value.problems == ["seeds.hidden: the hidden seed was replaced by the course secret: "
                                  "delete this key and make the secret with `autograder secret` "
                                  "(hidden cases are now drawn per submission)"]


def test_the_public_seed_stays(tmp_path):
    course = load_course(write(tmp_path, GOOD.replace("language: en", "language: en\nseeds: {public: 3}")))
    assert course.public_seed == 3
