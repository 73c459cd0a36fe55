"""`autograder release` into an instructor's own nbgrader course: settings kept (merged, or
refused with a diff unless --force), edited sources never replaced without --force,
--course-id / --exchange / --lang honoured, no absolute course-folder path (a copied course
grades into itself), and a config that imports nothing heavy."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from autograder.cli import Exit, main
from autograder.release import BEGIN, ReleaseError, merged_config, config_block, release
from tests.conftest import ROOT

CUSTOM = """c = get_config()
# our course, our exchange
c.CourseDirectory.course_id = 'dl2026'
c.Exchange.root = '/srv/nbgrader/exchange'
c.ClearSolutions.text_stub = 'ANSWER HERE'
c.CourseDirectory.ignore = ['.ipynb_checkpoints', '*.pyc', '__pycache__', 'feedback', 'data']
"""


def hangul(notebook) -> int:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return len(re.findall("[\uac00-\ud7a3]", text))


@pytest.mark.nbgrader
def test_release_keeps_a_custom_config_and_speaks_the_language_asked(tmp_path, capsys):
    course_dir = tmp_path / "course"
    course_dir.mkdir()
    (course_dir / "nbgrader_config.py").write_text(CUSTOM)
    assert main(["release", "01_convolution", "--to", str(course_dir), "--lang", "en"]) == Exit.OK
    config = (course_dir / "nbgrader_config.py").read_text()
    assert config.startswith(CUSTOM)                       # every setting kept, in place
    block = config[config.index(BEGIN):]
    assert "course_id" not in block and "Exchange" not in block
    assert "SandboxGrades" in block and "c.SandboxGrades.lang = 'en'" in block
    assert str(course_dir) not in config                    # no absolute course-folder path
    released = course_dir / "release" / "01_convolution" / "01_convolution.ipynb"
    assert hangul(released) == 0
    assert json.loads(released.read_text())["metadata"]["autograder"]["lang"] == "en"  # check()'s
    # released again (Korean): the block is replaced, not appended twice
    assert main(["release", "01_convolution", "--to", str(course_dir), "--lang", "ko"]) == Exit.OK
    config = (course_dir / "nbgrader_config.py").read_text()
    assert config.count(BEGIN) == 1 and config.startswith(CUSTOM)
    assert hangul(released) > 100
    assert json.loads(released.read_text())["metadata"]["autograder"]["lang"] == "ko"


def test_a_conflicting_setting_is_refused_with_a_diff_unless_forced(course, tmp_path):
    path = tmp_path / "nbgrader_config.py"
    path.write_text(CUSTOM)
    block = config_block(course, course_id="other", theirs=CUSTOM)
    with pytest.raises(ReleaseError) as e:
        merged_config(path, block)
    message = str(e.value)
    assert "course_id" in message and "--force" in message
    assert "+c.CourseDirectory.course_id = 'other'" in message     # the diff
    assert path.read_text() == CUSTOM
    forced = merged_config(path, block, force=True)
    assert forced.startswith(CUSTOM) and "course_id = 'other'" in forced.split(BEGIN)[1]


def test_new_settings_from_the_command_line(course, tmp_path):
    path = tmp_path / "nbgrader_config.py"
    text = merged_config(path, config_block(course, course_id="dl", exchange="/x/ex", lang="en",
                                            db_url="sqlite:///gb.db"))
    namespace = {"get_config": lambda: __import__("traitlets.config").config.Config()}
    exec(text, namespace)
    c = namespace["c"]
    assert c.CourseDirectory.course_id == "dl" and c.Exchange.root == "/x/ex"
    assert c.SandboxGrades.lang == "en" and c.CourseDirectory.db_url == "sqlite:///gb.db"
    assert "root" not in c.CourseDirectory


def test_the_config_imports_nothing_heavy(course, tmp_path):
    path = tmp_path / "nbgrader_config.py"
    path.write_text(merged_config(path, config_block(course)))
    code = ("import sys; from traitlets.config.loader import PyFileConfigLoader; "
            f"c = PyFileConfigLoader('nbgrader_config.py', {str(tmp_path)!r}).load_config(); "
            "print(c.Autograde.autograde_preprocessors[0]); "
            "print(sorted(m for m in ('torch', 'nbformat', 'autograder', 'numpy', 'nbgrader') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, loaded = proc.stdout.splitlines()
    assert first == "autograder.nbgrader_plugin.SandboxGrades" and loaded == "[]"
    plugin = subprocess.run([sys.executable, "-c", "import sys, autograder.nbgrader_plugin; "
                             "print('torch' in sys.modules)"], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert plugin.stdout.strip() == "False"


@pytest.mark.nbgrader
def test_an_edited_source_is_never_replaced_without_force(course, conv, tmp_path):
    dest = tmp_path / "course"
    release(course, conv, dest)
    source = dest / "source" / conv.id / f"{conv.id}.ipynb"
    extra = dest / "source" / conv.id / "data.csv"
    extra.write_text("1,2\n")
    release(course, conv, dest)                        # unedited: released again, extra kept
    assert extra.is_file()
    source.write_text(source.read_text().replace("Convolution", "Convolution (edited)"))
    with pytest.raises(ReleaseError, match="--force"):
        release(course, conv, dest)
    assert "(edited)" in source.read_text()
    release(course, conv, dest, force=True)
    assert "(edited)" not in source.read_text()


@pytest.mark.nbgrader
def test_a_copied_course_grades_into_itself(released, conv, tmp_path, reference_source):
    from autograder.release import nbgrader
    from tests.conftest import exported_scores
    original, _ = released
    copy = tmp_path / "copy"
    shutil.copytree(original, copy, ignore=shutil.ignore_patterns(
        "submitted", "autograded", "feedback"))
    assert str(original) not in (copy / "nbgrader_config.py").read_text()
    released_nb = copy / "release" / conv.id / f"{conv.id}.ipynb"
    from autograder.demo import fill_notebook
    folder = copy / "submitted" / "zoe" / conv.id
    folder.mkdir(parents=True)
    fill_notebook(released_nb, conv, folder / f"{conv.id}.ipynb")
    nbgrader(copy, "autograde", conv.id, "--student", "zoe")
    assert (copy / "autograded" / "zoe").is_dir()
    assert not (original / "autograded" / "zoe").exists()
    assert exported_scores(copy)["zoe"] == pytest.approx(conv.max_score)
