"""`--dask`: the same batch on a real distributed.LocalCluster lands exactly as locally."""
import pytest

from autograder import batch
from tests.conftest import class_folder

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    import dask
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
        yield client
        client.close()
        cluster.close()


def test_a_cluster_batch_matches_the_local_pool(client, course, conv, tmp_path, reference_source):
    extras = ["", "\ndef zero_pad(x, P):\n    return x\n",
              "\ndef conv_forward(x, w, b, stride, pad):\n    raise ValueError('x')\n"]
    submitted = class_folder(tmp_path, {f"s{i}": reference_source + e for i, e in enumerate(extras)})
    items = [batch.identify(course, p) for p in batch.collect([str(submitted)])]
    local = {i.student: r for i, r in batch.grade_all(course, items, jobs=2)}
    remote = {i.student: r for i, r in batch.grade_all(course, items, dask=client,
                                                       out_dir=tmp_path / "out")}
    assert {k: r.score for k, r in remote.items()} == {k: r.score for k, r in local.items()}
    assert {k: [p.status for p in r.problems] for k, r in remote.items()} == \
        {k: [p.status for p in r.problems] for k, r in local.items()}
    assert remote["s2"].problems[4].error.startswith("ValueError")
    assert (tmp_path / "out" / "s1" / conv.id / "results.json").is_file()
