"""Engines run extraction: ``local`` (this process, or ``--workers N`` processes) and
``dask`` (a LocalCluster, or an existing cluster given by ``--scheduler``).

An engine is a function ``(documents, settings, extractor=None)`` returning an iterator
of parts (:class:`~graphkit.engines.batching.Part`: the statements of one piece of a
document) in input order; every engine gives the same statements. :func:`run` joins the
parts into documents, :func:`run_parts` streams them. Engines are chosen by name:

>>> sorted(ENGINES)
['dask', 'local']
>>> get_engine("spark")
Traceback (most recent call last):
...
graphkit.errors.EngineError: no engine 'spark'; choose one of: dask, local
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING

from graphkit.errors import EngineError

if TYPE_CHECKING:
    from graphkit.engines.batching import Part
    from graphkit.extract import Extractor
    from graphkit.model import Document, Statement
    from graphkit.settings import Settings

Engine = Callable[..., Iterator["Part"]]

# name -> (module, function, the pip extra that installs its library, if optional);
# modules are imported only when their engine is used.
ENGINES: dict[str, tuple[str, str, str | None]] = {
    "local": ("graphkit.engines.local", "run_local", None),
    "dask": ("graphkit.engines.dask_engine", "run_dask", "dask"),
}


def get_engine(name: str) -> Engine:
    """The engine called ``name``."""
    try:
        module, function, extra = ENGINES[name]
    except KeyError:
        raise EngineError(f"no engine {name!r}; choose one of: "
                          + ", ".join(sorted(ENGINES))) from None
    try:
        loaded = import_module(module)
    except ImportError as err:
        if extra is None:
            raise
        # An optional engine whose library is not installed.
        from graphkit.packages import extra_hint

        raise EngineError(f"the {name} engine needs {err.name}: {extra_hint(extra)}") from None
    engine: Engine = getattr(loaded, function)
    return engine


def run(documents: Iterable[Document], settings: Settings,
        extractor: Extractor | None = None) -> Iterator[tuple[Document, list[Statement]]]:
    """Statements of ``documents``, document by document, by the engine ``settings.engine``."""
    from graphkit.engines.batching import whole

    return whole(run_parts(documents, settings, extractor))


def run_parts(documents: Iterable[Document], settings: Settings,
              extractor: Extractor | None = None) -> Iterator[Part]:
    """Statements of ``documents``, piece by piece (a long document in many parts)."""
    return get_engine(settings.engine)(documents, settings, extractor=extractor)
