"""Extraction as Dask tasks: on a LocalCluster, or on any running Dask cluster.

Each Dask worker loads the pipeline once (a worker plugin, set up when the worker joins)
and reads batches of pieces submitted as tasks; results stream back to this process,
which writes them exactly as a local build does. The gazetteer travels with the plugin,
so workers need graphkit and the spaCy pipeline installed, not the client's files.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from graphkit.engines.batching import Found, Part, run_parallel
from graphkit.engines.loaded import Loaded
from graphkit.errors import EngineError
from graphkit.extract import Extractor
from graphkit.model import Document
from graphkit.segments import Piece
from graphkit.settings import Settings

PLUGIN = "graphkit-extractor"
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler and see a first worker


def run_dask(documents: Iterable[Document], settings: Settings,
             extractor: Extractor | None = None) -> Iterator[Part]:
    """Statements of ``documents``, piece by piece, read by Dask workers.

    With ``settings.scheduler`` unset, a LocalCluster of ``settings.workers`` processes is
    started for the run and closed after it. ``extractor`` is not used: the workers load
    their own.
    """
    with _client(settings) as client:
        client.register_plugin(ExtractorPlugin(settings), name=PLUGIN)
        window = 4 * max(1, sum(client.nthreads().values()))
        yield from run_parallel(documents, settings,
                                lambda p: client.submit(_read, p, pure=False), window)


@contextmanager
def _client(settings: Settings) -> Iterator[Any]:
    if settings.scheduler is None:
        with LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1,
                          processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        raise EngineError(f"cannot reach the Dask scheduler at {settings.scheduler}: "
                          f"{err}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise EngineError(f"the Dask scheduler at {settings.scheduler} has no workers "
                              f"(waited {CONNECT_TIMEOUT} s)") from None
        yield client


class ExtractorPlugin(WorkerPlugin):
    """A Dask worker plugin: loads the pipeline once per worker, with the client's
    gazetteer (its text is sent along, so the worker needs no copy of the file)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.gazetteer = Path(settings.gazetteer).read_bytes()
        self.pipeline = Loaded()

    def setup(self, worker: Any) -> None:
        folder = getattr(worker, "local_directory", None) or tempfile.gettempdir()
        path = Path(folder) / f"graphkit-gazetteer-{os.getpid()}.ttl"
        path.write_bytes(self.gazetteer)
        self.pipeline.load(replace(self.settings, gazetteer=path))

    def teardown(self, worker: Any) -> None:
        self.pipeline = Loaded()


def _read(work: list[Piece]) -> Found:
    plugin = get_worker().plugins.get(PLUGIN)
    pipeline = plugin.pipeline if isinstance(plugin, ExtractorPlugin) else Loaded()
    return pipeline.read(work)
