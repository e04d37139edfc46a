"""Read the network of a build folder or an RDF file.

A build folder's ``graph.ttl`` (or, without it, its Oxigraph ``store/``) or any RDF file
rdflib reads becomes the rdflib graph :func:`to_networkx` takes.

>>> import pathlib, tempfile
>>> read_network(pathlib.Path(tempfile.mkdtemp()))
Traceback (most recent call last):
...
graphkit.errors.InputError: ... holds no graph.ttl or store/: not a build folder
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.errors import InputError

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

GRAPH_FILE = "graph.ttl"
STORE_DIR = "store"
_RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
                   ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".owl": "xml"}


def read_graph(source: Path | str) -> Graph:
    """The RDF graph of ``source`` (a build folder or an RDF file)."""
    path = Path(source)
    if path.is_dir():
        if (path / GRAPH_FILE).is_file():
            return _parse(path / GRAPH_FILE)
        if (path / STORE_DIR).is_dir():
            return _from_store(path)
        raise InputError(f"{source} holds no {GRAPH_FILE} or {STORE_DIR}/: not a build folder")
    if not path.is_file():
        raise InputError(f"no such build folder or RDF file: {source}")
    return _parse(path)


def read_network(source: Path | str, *, analyse: bool = True) -> nx.MultiDiGraph:
    """The entity network of ``source``, with layout and measures unless ``analyse=False``."""
    from graphkit.network.build import to_networkx

    return to_networkx(read_graph(source), analyse=analyse)


def _parse(path: Path) -> Graph:
    from rdflib import Graph

    fmt = _RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF file type {path.suffix or path.name!r}; accepted: "
                         + ", ".join(sorted(_RDFLIB_FORMATS)))
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read {path}: {first}") from None
    return graph


def _from_store(folder: Path) -> Graph:
    import pyoxigraph
    from rdflib import Graph

    from graphkit.rdf import load_source

    store = load_source(folder)
    turtle = store.dump(format=pyoxigraph.RdfFormat.TURTLE,
                        from_graph=pyoxigraph.DefaultGraph())
    return Graph().parse(data=turtle, format="turtle")
