"""Grade a batch on an existing Dask distributed cluster (`autograder grade --dask ADDRESS`).

Each task carries plain data only: the course file's path, the assignment id, the file's
name and bytes; a worker grades it with the same sandboxed grader as the local pool and
returns the result as the JSON record the local batch writes. The worker reads the course
secret by the same rules as the grader (secret.load_secret, never making one), so it draws
the same hidden cases. Workers need the project installed, the course folder at the same
path, the course secret (the same file, or $AUTOGRADER_SECRET / $AUTOGRADER_SECRET_FILE), and
`distributed.worker.daemon: False` (the sandbox starts child processes).
"""
from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def _course(course_file: str):
    from autograder.course import load_course
    return load_course(course_file)


def grade_bytes(course_file: str, assignment_id: str, name: str, data: bytes, origin: str) -> dict:
    """Runs on a worker: grade one submission given as bytes; a JSON-able record back."""
    from autograder import oracle
    from autograder.batch import to_record
    from autograder.grading import grade_file
    from autograder.secret import load_secret
    oracle.use_one_thread()
    course = _course(course_file)
    secret = load_secret(course.root)        # the instructor's; a worker never makes its own
    with tempfile.TemporaryDirectory(prefix="autograder-dask-") as folder:
        path = Path(folder) / (Path(name).name or "submission")
        path.write_bytes(data)
        result = grade_file(course, course.assignment(assignment_id), path, secret)
    record = to_record(result)
    record["path"] = origin
    return record


def grade_on_cluster(address, course, items):
    """Yield (item, SubmissionResult) as the cluster finishes them."""
    from distributed import Client, as_completed
    from autograder.batch import from_record
    from autograder.grading import failed_submission
    from autograder.submission import SubmissionError, read_file
    course_file = str(course.root / "course.yaml")
    client = address if isinstance(address, Client) else Client(address)
    try:
        futures = {}
        for item in items:
            try:                    # never a link, a FIFO or an oversized file
                data = read_file(item.path)
            except SubmissionError as e:
                yield item, failed_submission(item.path, item.assignment, str(e))
                continue
            future = client.submit(grade_bytes, course_file, item.assignment.id, item.path.name,
                                   data, str(item.path), pure=False)
            futures[future] = item
        for future in as_completed(futures):
            item = futures[future]
            try:                    # a worker's failure or a malformed record: this item's error
                result = from_record(future.result())
            except Exception as e:
                result = failed_submission(item.path, item.assignment, "internal error while "
                                           f"grading on the cluster: {type(e).__name__}: {e}")
            yield item, result
    finally:
        if client is not address:
            client.close()
