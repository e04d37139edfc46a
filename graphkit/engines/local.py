"""Extraction on this machine: in this process, or in worker processes (``--workers N``).

Each worker process loads the pipeline once, when it starts, and then reads batch after
batch; the parent reads the inputs and puts results back in input order. Statements are
the same as a one-process run (the same pieces are read by the same pipeline).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from graphkit.engines.batching import Found, Part, batches, in_parts, run_parallel
from graphkit.engines.loaded import Loaded
from graphkit.engines.orphans import die_with_parent
from graphkit.errors import EngineError
from graphkit.extract import Extractor
from graphkit.model import Document
from graphkit.segments import Piece
from graphkit.settings import Settings

Parts = Iterator[Part]


def run_local(documents: Iterable[Document], settings: Settings,
              extractor: Extractor | None = None) -> Parts:
    """Statements of ``documents``, piece by piece, read by ``settings.workers``
    processes of this machine.

    One worker reads in this process (reusing ``extractor`` when given); more start a
    process pool whose processes each load the pipeline once.
    """
    if settings.workers <= 1:
        reader = extractor or Extractor(settings)
        work = batches(documents, settings.batch_size)
        yield from in_parts((batch, reader.read(batch.pieces)) for batch in work)
        return
    yield from _run_pool(documents, settings)


def _run_pool(documents: Iterable[Document], settings: Settings) -> Parts:
    import multiprocessing

    # spawn, not fork: a fresh interpreter per worker is safe whatever threads the
    # parent runs, and behaves the same on every platform.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(settings.workers, mp_context=context, initializer=_start_worker,
                             initargs=(settings, os.getpid())) as pool:
        try:
            yield from run_parallel(documents, settings, lambda p: pool.submit(_read, p),
                                    window=4 * settings.workers)
        except BrokenProcessPool as err:
            raise EngineError(f"a worker process died ({err}); "
                              "try fewer --workers if memory is short") from None


# The pipeline of this worker process, set by the pool's initializer: a process pool
# gives its tasks no other place to find what the initializer loaded.
_WORKER = Loaded()


def _start_worker(settings: Settings, parent: int) -> None:
    die_with_parent(parent)
    _WORKER.load(settings)


def _read(work: list[Piece]) -> Found:
    return _WORKER.read(work)
