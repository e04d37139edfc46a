"""Engines: batching and reassembly, worker processes, and Dask (a 2-worker LocalCluster).

Every engine must give the statements a one-process run gives, in the same order.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.engines import ENGINES, get_engine, run
from graphkit.engines.batching import BATCH_CHARS, Batch, batches, bounded, in_order
from graphkit.errors import EngineError, ModelNotFoundError
from graphkit.extract import SEGMENT_CHARS, Piece, pieces
from graphkit.model import Document, Statement
from graphkit.vocab import Modality, Relation

FILLER = ("Market traders in the valley town sold onions and rice on Tuesday morning. "
          "Heavy rain closed the mountain road for a second week. ")
CLAIMS = ["The Amber Hill Front allied with the Copper Lake Brigade in 2012.",
          "The Copper Lake Brigade denied any link to the Grey Marsh Army.",
          "The Grey Marsh Army split from the Amber Hill Front in 2019."]


def corpus() -> list[Document]:
    """Short documents, and one long enough to be cut into several segments."""
    docs = [Document(f"short-{i}", f"{FILLER}{CLAIMS[i % 3]} {FILLER}") for i in range(12)]
    # Just over one segment: two segments, the least work that tests the cut.
    paragraphs = [(FILLER * 6) + CLAIMS[i % 3] for i in range(6 * SEGMENT_CHARS // 5 // 900)]
    docs.insert(5, Document("long", "\n\n".join(paragraphs)))
    return docs


def as_rows(pairs) -> list[tuple[str, list[dict]]]:
    return [(doc.id, [st.to_json() for st in found]) for doc, found in pairs]


@pytest.fixture(scope="module")
def one_process(extractor) -> list[tuple[str, list[dict]]]:
    return as_rows(extractor.extract(corpus()))


# -- pieces and batches ---------------------------------------------------------------

def test_pieces_of_a_long_document_cover_it_exactly_and_end_at_paragraphs():
    doc = next(d for d in corpus() if d.id == "long")
    parts = list(pieces(doc))
    assert len(parts) >= 2
    assert "".join(p.text for p in parts) == doc.text
    for part in parts:
        assert doc.text[part.offset:part.offset + len(part.text)] == part.text
        assert len(part.text) <= SEGMENT_CHARS
    assert all(p.text.endswith("\n\n") for p in parts[:-1])


def test_a_short_document_is_one_piece():
    assert list(pieces(Document("d", "A short text."))) == [Piece("d", "A short text.", 0)]


def test_batches_respect_the_piece_count_and_character_limits():
    docs = corpus()
    made = list(batches(docs, batch_size=4))
    assert all(len(b.pieces) <= 4 for b in made)
    assert all(b.chars <= BATCH_CHARS or len(b.pieces) == 1 for b in made)
    owners = [doc.id for b in made for doc, last in b.owners if last]
    assert owners == [d.id for d in docs]


def test_in_order_joins_the_pieces_of_a_document_in_order():
    doc = Document("d", "x")
    first = Batch([Piece("d", "a", 0)], [(doc, False)])
    second = Batch([Piece("d", "b", 1), Piece("e", "c", 0)],
                   [(doc, True), (Document("e", "c"), True)])
    done = [(first, [["s1"]]), (second, [["s2"], ["s3"]])]
    assert [(d.id, found) for d, found in in_order(done)] == [("d", ["s1", "s2"]), ("e", ["s3"])]


class _Ready:
    """A finished future; records how many were in flight when each was submitted."""

    def __init__(self, value, flight: list[int], log: list[int]) -> None:
        self.value, self.flight = value, flight
        flight[0] += 1
        log.append(flight[0])

    def result(self):
        self.flight[0] -= 1
        return self.value


def test_bounded_never_has_more_than_window_batches_in_flight():
    flight, log = [0], []
    work = [Batch([Piece(str(i), "t", 0)], [(Document(str(i), "t"), True)]) for i in range(9)]
    out = list(bounded(work, lambda p: _Ready([[p[0].doc_id]], flight, log), window=3))
    assert max(log) == 3
    assert [found for _b, found in out] == [[[str(i)]] for i in range(9)]


# -- choosing an engine --------------------------------------------------------------

def test_an_unknown_engine_is_refused_with_the_valid_names():
    with pytest.raises(EngineError, match="choose one of: dask, local"):
        get_engine("spark")


def test_an_engine_whose_library_is_missing_says_what_to_install(monkeypatch):
    monkeypatch.setitem(ENGINES, "ray", ("graphkit_no_such_module.ray", "run", "ray"))
    with pytest.raises(EngineError, match=r"pip install 'graphkit-kg\[ray\]'"):
        get_engine("ray")


# -- local engine ---------------------------------------------------------------------

def test_the_long_document_keeps_every_claim_once_with_true_offsets(one_process):
    doc = next(d for d in corpus() if d.id == "long")
    found = [Statement.from_json(row) for doc_id, rows in one_process if doc_id == "long"
             for row in rows]
    # each sentence's own claim once: an alliance, a split, a denied alliance (a denied
    # "link" may also be read as a denied affiliation; that is not counted here)
    claims = [st for st in found if (st.predicate, st.modality) in {
        (Relation.ALLIED_WITH, Modality.ASSERTED), (Relation.SPLINTER_OF, Modality.ASSERTED),
        (Relation.ALLIED_WITH, Modality.NEGATED)}]
    assert len(claims) == doc.text.count("allied with") + doc.text.count("split from") + \
        doc.text.count("denied any link")
    for st in found:
        assert doc.text[st.evidence.start:st.evidence.end] == st.evidence.sentence
    assert len({st.evidence.start for st in claims}) == len(claims)


def test_two_worker_processes_give_the_one_process_statements(settings, one_process):
    pairs = run(corpus(), replace(settings, workers=2))
    assert as_rows(pairs) == one_process


def test_a_worker_that_cannot_load_the_model_fails_with_one_clear_error(settings):
    bad = replace(settings, model="en_core_web_nonexistent", workers=2)
    with pytest.raises(ModelNotFoundError, match="is not installed"):
        list(run(corpus()[:2], bad))


# -- Dask engine ----------------------------------------------------------------------

def test_dask_on_a_two_worker_local_cluster_gives_the_one_process_statements(
        settings, one_process):
    pairs = run(corpus(), replace(settings, engine="dask", workers=2))
    assert as_rows(pairs) == one_process


def test_build_with_the_dask_engine_writes_what_a_local_build_writes(tmp_path: Path, settings,
                                                                      extractor):
    from graphkit.build import build

    inputs = tmp_path / "in"
    inputs.mkdir()
    for doc in [d for d in corpus() if d.id != "long"][:6]:
        (inputs / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    build([inputs], tmp_path / "local", settings, extractor=extractor)
    result = CliRunner().invoke(main, ["-q", "build", str(inputs), "--out",
                                       str(tmp_path / "dask"), "--engine", "dask",
                                       "--workers", "2"])
    assert result.exit_code == 0, result.output
    local = (tmp_path / "local" / "statements.jsonl").read_text(encoding="utf-8")
    dask = (tmp_path / "dask" / "statements.jsonl").read_text(encoding="utf-8")
    assert local == dask and len(local.splitlines()) >= 6
    assert json.loads(dask.splitlines()[0])["doc"]


def test_dask_with_a_scheduler_address_uses_that_running_cluster(settings, one_process):
    from distributed import LocalCluster

    short = [d for d in corpus() if d.id != "long"]
    expected = [row for row in one_process if row[0] != "long"]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = replace(settings, engine="dask", scheduler=cluster.scheduler_address)
        assert as_rows(run(short, remote)) == expected
        worker_plugins = cluster.scheduler.worker_plugins
        assert "graphkit-extractor" in worker_plugins


def test_an_unreachable_scheduler_is_a_one_line_error(monkeypatch, settings):
    from graphkit.engines import dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 2)
    remote = replace(settings, engine="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(run(corpus()[:1], remote))


def test_a_scheduler_without_workers_is_a_one_line_error(monkeypatch, settings):
    from distributed import LocalCluster

    from graphkit.engines import dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        remote = replace(settings, engine="dask", scheduler=cluster.scheduler_address)
        with pytest.raises(EngineError, match="has no workers"):
            list(run(corpus()[:1], remote))


def test_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path: Path):
    (tmp_path / "a.txt").write_text(CLAIMS[0], encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2
    assert "--scheduler needs --engine dask" in result.output


# --- worker processes end with their parent -------------------------------------------


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` that are multiprocessing workers."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("signum", ["SIGKILL", "SIGTERM"])
def test_workers_of_a_killed_build_end_within_seconds(tmp_path: Path, signum: str):
    import signal
    import subprocess
    import sys
    import time

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(300):
        (inbox / f"d{i:03}.txt").write_text(f"{FILLER}{CLAIMS[i % 3]} {FILLER}" * 4)
    parent = subprocess.Popen([sys.executable, "-m", "graphkit", "-q", "build", str(inbox),
                               "--out", str(tmp_path / "out"), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers := _children(parent.pid)) < 2 and time.monotonic() < deadline:
            assert parent.poll() is None, "the build ended before its workers started"
            time.sleep(0.05)
        assert len(workers) == 2
        time.sleep(2)  # the workers are loading the pipeline or reading
        assert parent.poll() is None and all(_alive(w) for w in workers)
        parent.send_signal(getattr(signal, signum))
        parent.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived their parent"
    finally:  # whatever failed, leave no process of this test behind
        parent.kill()
        parent.wait(timeout=30)
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
