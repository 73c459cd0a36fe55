"""CI runs exactly the README's test command, and the README starts with the two commands."""
import re

from tests.conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    assert commands[1] == ci
    assert commands[0].endswith("autograder demo")
