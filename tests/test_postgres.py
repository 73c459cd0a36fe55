"""The gradebook on a real PostgreSQL server: nbgrader's db_url, written by
`autograder grade --gradebook`, read back by `nbgrader export`. .ci/run installs PostgreSQL;
the server is started here, on loopback, for this module only."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.release import release
from tests.conftest import class_folder, exported_scores

pytestmark = pytest.mark.nbgrader


def _bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if not found:
        pytest.skip(f"PostgreSQL's {name} is not installed (.ci/run installs it)")
    return found


def _as_postgres(cmd, **kw):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def postgres_url():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    data = Path(tempfile.mkdtemp(prefix="autograder-pg-"))   # pytest's tmp is private to root
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres"])
    _as_postgres([pg_ctl, "-D", str(data), "-w", "-l", str(data / "log"), "-o",
                  f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"], timeout=120)
    try:
        _as_postgres([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook"])
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    finally:
        _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(data, ignore_errors=True)


def test_scores_land_in_a_postgresql_gradebook(postgres_url, course, conv, tmp_path, reference_source):
    dest = tmp_path / "course"
    release(course, conv, dest, db_url=postgres_url)
    submitted = class_folder(tmp_path, {
        "gina": reference_source, "hal": reference_source + "\ndef conv2d_multi(*a):\n    return None\n"})
    assert main(["grade", str(submitted), "--gradebook", postgres_url]) == 1
    assert exported_scores(dest) == {"gina": 13.0, "hal": 11.0}
