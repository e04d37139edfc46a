"""Read the network of a build folder or an RDF file.

The source is opened by the same reader as ``graphkit query``
(:func:`graphkit.rdf.store.read_source_graph`): a build folder's ``store/`` (or its
``graph.ttl``), an Oxigraph store folder, or any RDF file; the named graphs of a TriG or
N-Quads file are merged, so ``graph.trig`` gives the same network as ``graph.ttl``.

>>> import pathlib, tempfile
>>> read_network(pathlib.Path(tempfile.mkdtemp()))
Traceback (most recent call last):
...
graphkit.errors.SourceError: ... holds no store/ or graph.ttl: not a build folder; ...
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph


def read_graph(source: Path | str) -> Graph:
    """The RDF graph of ``source`` (a build folder or an RDF file), named graphs merged."""
    from graphkit.rdf.store import read_source_graph

    return read_source_graph(source)


def read_network(source: Path | str, *, analyse: bool = True) -> nx.MultiDiGraph:
    """The entity network of ``source``, with layout and measures unless ``analyse=False``."""
    from graphkit.network.build import to_networkx

    return to_networkx(read_graph(source), analyse=analyse)
