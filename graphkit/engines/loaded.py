"""A worker's pipeline, or the error that stopped it loading, kept for its tasks."""

from __future__ import annotations

from graphkit.engines.batching import Found
from graphkit.errors import EngineError, GraphkitError
from graphkit.extract import Extractor
from graphkit.segments import Piece
from graphkit.settings import Settings


class Loaded:
    """Loads the pipeline once and reads pieces with it.

    A load error is kept, not raised: raised while a worker starts, it would break the
    pool or the Dask worker with a traceback; kept, the first task reports it as the
    one-line error a local run gives.

    >>> Loaded().read([])
    Traceback (most recent call last):
    ...
    graphkit.errors.EngineError: the worker has no graphkit pipeline
    """

    def __init__(self) -> None:
        self.extractor: Extractor | None = None
        self.error: GraphkitError | None = None

    def load(self, settings: Settings) -> None:
        try:
            self.extractor = Extractor(settings)
        except GraphkitError as err:
            self.error = err

    def read(self, work: list[Piece]) -> Found:
        if self.extractor is None:
            raise self.error or EngineError("the worker has no graphkit pipeline")
        return self.extractor.read(work)
