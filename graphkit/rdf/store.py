"""Writing a build (graph.ttl + an embedded Oxigraph store) and opening query sources.

>>> import tempfile, pathlib
>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph()
>>> _ = g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal(1)))
>>> paths = write_build(g, pathlib.Path(tempfile.mkdtemp()))
>>> sorted(paths), paths["graph"].name, paths["store"].name
(['graph', 'store'], 'graph.ttl', 'store')
>>> len(load_source(paths["graph"].parent))
1
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from graphkit.errors import OutputError, SourceError
from graphkit.fileio import atomic_write

if TYPE_CHECKING:
    import pyoxigraph

GRAPH_FILE = "graph.ttl"
STORE_DIR = "store"

# File extension -> name of the pyoxigraph.RdfFormat member that parses it.
RDF_EXTENSIONS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".rdf": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
    ".owl": "RDF_XML",
}

ACCEPTED_SOURCES = (
    "a build folder (with store/ or graph.ttl), an Oxigraph store folder, or an RDF file ("
    + ", ".join(RDF_EXTENSIONS) + ")"
)


def write_build(graph: Graph, out_dir: Path, *, store_url: str | None = None) -> dict[str, Path]:
    """Rebuild ``out_dir/store/`` from ``graph`` and write ``out_dir/graph.ttl`` from it.

    The store is bulk-loaded into ``store.tmp`` and renamed into place, so a failed
    build leaves the previous store untouched; graph.ttl is written atomically. Returns
    ``{"graph": ..., "store": ...}``. With ``store_url`` the graph goes to that SPARQL 1.1
    server instead of an embedded store (see :mod:`graphkit.rdf.remote`) and only
    ``{"graph": ...}`` is returned.
    """
    out_dir = Path(out_dir)
    graph_path, store_path = out_dir / GRAPH_FILE, out_dir / STORE_DIR
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if store_url is None:
            _replace_store(graph, store_path, graph_path)
        else:
            write_sorted(oxigraph_copy(graph), graph_path)
    except OSError as err:
        raise OutputError(f"cannot write the build to {out_dir}: {_one_line(str(err))}") from None
    if store_url is not None:
        from graphkit.rdf.remote import push_graph

        push_graph(store_url, graph)
        return {"graph": graph_path}
    return {"graph": graph_path, "store": store_path}


def oxigraph_copy(graph: Graph, path: Path | None = None) -> pyoxigraph.Store:
    """``graph`` loaded into an Oxigraph store (in memory, or on disk at ``path``).

    rdflib writes N-Triples several times faster than Turtle; Oxigraph then writes every
    other format, so the slow serialisers are never on a build's path.
    """
    import pyoxigraph

    store = pyoxigraph.Store(None if path is None else str(path))
    store.bulk_load(input=graph.serialize(format="nt", encoding="utf-8"),
                    format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def write_sorted(store: pyoxigraph.Store, path: Path) -> None:
    """Write ``store`` to ``path`` atomically, in the format its extension names, sorted
    by graph, subject, predicate and object: a store's own order is arbitrary, and the
    same build must give the same file (sorted, each entity, document and statement node
    also reads as one block). A triples format (.ttl) gets the default graph only."""
    import pyoxigraph

    from graphkit.rdf.terms import PREFIXES

    fmt = getattr(pyoxigraph.RdfFormat, RDF_EXTENSIONS[path.suffix.lower()])

    def key(quad: pyoxigraph.Quad) -> tuple[str, str, str, str]:
        return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))

    if not fmt.supports_datasets:
        quads = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        items: list = [quad.triple for quad in sorted(quads, key=key)]
    else:
        items = sorted(store, key=key)
    with atomic_write(path, "wb") as fh:
        pyoxigraph.serialize(items, fh, fmt, prefixes=dict(PREFIXES))


def _replace_store(graph: Graph, store_path: Path, graph_path: Path) -> None:
    tmp, old = store_path.with_name(STORE_DIR + ".tmp"), store_path.with_name(STORE_DIR + ".old")
    for leftover in (tmp, old):
        shutil.rmtree(leftover, ignore_errors=True)
    store = oxigraph_copy(graph, tmp)
    write_sorted(store, graph_path)
    store.flush()
    del store  # releases the RocksDB handle before the directory moves
    if store_path.exists():
        store_path.rename(old)
    tmp.rename(store_path)
    shutil.rmtree(old, ignore_errors=True)


def load_source(source: str | Path) -> pyoxigraph.Store:
    """Open something to query: a build folder, an Oxigraph store folder or an RDF file.

    A build folder's ``store/`` is opened read-only (no lock held against a rebuild);
    without one its ``graph.ttl`` is loaded in memory, as is any RDF file.
    """
    path = Path(source)
    if path.is_dir():
        if (path / STORE_DIR / "CURRENT").is_file():
            return _open_read_only(path / STORE_DIR)
        if (path / GRAPH_FILE).is_file():
            return _load_file(path / GRAPH_FILE)
        if (path / "CURRENT").is_file():  # the store folder itself
            return _open_read_only(path)
        raise SourceError(f"{source} holds no store/ or {GRAPH_FILE}: not a build folder; "
                          f"accepted: {ACCEPTED_SOURCES}")
    if not path.is_file():
        raise SourceError(f"no such query source: {source}; accepted: {ACCEPTED_SOURCES}")
    return _load_file(path)


def read_source_graph(source: str | Path) -> Graph:
    """Everything in ``source`` as one rdflib graph: named graphs merged into one.

    The one reader of every command that needs rdflib (viz, stats, export, validate):
    it opens the source exactly as ``query`` does (:func:`load_source`), so a source
    that ``query`` reads is never empty for them (a ``graph.trig`` keeps all but the
    corpus nodes in named graphs, which a plain rdflib Graph parse drops).
    """
    import pyoxigraph

    store = load_source(source)
    # N-Triples: the fastest format for rdflib to parse; a triple in several named
    # graphs (a direct triple asserted by two documents) becomes one.
    data = pyoxigraph.serialize((quad.triple for quad in store),
                                format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data or b"", format="nt")


def _open_read_only(path: Path) -> pyoxigraph.Store:
    import pyoxigraph

    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as err:
        raise SourceError(f"cannot open the store {path}: {_one_line(str(err))}") from None


def _load_file(path: Path) -> pyoxigraph.Store:
    import pyoxigraph

    format_name = RDF_EXTENSIONS.get(path.suffix.lower())
    if format_name is None:
        raise SourceError(f"unknown RDF file type {path.suffix or path.name!r}; "
                         f"accepted: {ACCEPTED_SOURCES}")
    store = pyoxigraph.Store()
    try:
        store.load(path=str(path), format=getattr(pyoxigraph.RdfFormat, format_name))
    except (SyntaxError, ValueError, OSError) as err:
        raise SourceError(f"cannot read {path}: {_one_line(str(err))}") from None
    return store


def _one_line(message: str) -> str:
    """Collapse a multi-line library message into one line."""
    return " ".join(message.split())
