"""GraphML (yEd, Cytoscape) and CSV node/edge lists (pandas, spreadsheets).

Both carry the same flat attributes as the GEXF: per node label, class, aliases, QID,
the analytics measures, position, colour and size; per edge relation, modality,
confidence, statements, documents, sources, first/last year and colour.

>>> import csv, networkx as nx, pathlib, tempfile
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="A", **{"class": "State"})
>>> G.add_node("e:b", label="B", **{"class": "MilitantGroup"})
>>> _ = G.add_edge("e:a", "e:b", key="supports|asserted", relation="supports",
...                modality="asserted", confidence=0.5, weight=1, documents=1)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_csv(G, folder)
>>> with open(folder / "edges.csv", newline="", encoding="utf-8") as fh:
...     [row["relation"] for row in csv.DictReader(fh)]
['supports']
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import InputError, OutputError
from graphkit.fileio import atomic_write
from graphkit.network.gexf import export_graph, write_gexf

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EXPORT_FORMATS", "export", "flat_graph", "spreadsheet_safe", "write_csv",
           "write_graphml"]

EXPORT_FORMATS = ("gexf", "graphml", "csv")
NODE_COLUMNS = ("id", "label", "class", "aliases", "qid", "minted", "degree", "betweenness",
                "eigenvector", "community", "component", "bridge", "x", "y", "color", "size")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection):
# an entity label read from an article, such as "=HYPERLINK(...)", must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EDGE_COLUMNS = ("id", "source", "target", "relation", "modality", "label", "confidence",
                "statements", "documents", "sources", "first_year", "last_year", "color")


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The GEXF attributes with ``viz`` flattened to ``x``, ``y``, ``color``, ``size``."""
    out = export_graph(G)
    for _, data in out.nodes(data=True):
        viz = data.pop("viz")
        data.update(x=viz["position"]["x"], y=viz["position"]["y"],
                    color=_hex(viz["color"]), size=viz["size"])
    for _, _, data in out.edges(data=True):
        viz = data.pop("viz")
        data.update(color=_hex(viz["color"]), width=viz["thickness"])
    return out


def _hex(color: dict[str, Any]) -> str:
    return "#{:02x}{:02x}{:02x}".format(color["r"], color["g"], color["b"])


def write_graphml(G: nx.MultiDiGraph, path: Path | str) -> None:
    """GraphML with typed attributes; parallel edges keep their keys."""
    import networkx as nx

    try:
        with atomic_write(Path(path), "wb") as fh:
            nx.write_graphml(flat_graph(G), fh, encoding="utf-8", prettyprint=True)
    except OSError as exc:
        raise OutputError(f"cannot write GraphML to {path}: {exc.strerror or exc}") from exc


def write_csv(G: nx.MultiDiGraph, folder: Path | str) -> None:
    """``nodes.csv`` and ``edges.csv`` in ``folder`` (UTF-8, header row, one row each)."""
    flat, folder = flat_graph(G), Path(folder)
    nodes = [{"id": n, **d} for n, d in flat.nodes(data=True)]
    edges = [{"id": d.get("id", f"e{i}"), "source": u, "target": v, **d}
             for i, (u, v, d) in enumerate(flat.edges(data=True))]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_rows(folder / "nodes.csv", NODE_COLUMNS, nodes)
        _write_rows(folder / "edges.csv", EDGE_COLUMNS, edges)
    except OSError as exc:
        raise OutputError(f"cannot write CSV to {folder}: {exc.strerror or exc}") from exc


def _write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with atomic_write(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()}
                         for row in rows)


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'`` (as
    OWASP advises); numbers (negative positions included) and other text are kept.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("@SUM(A1)"), spreadsheet_safe("Hamas")
    ("'=1+2", "'@SUM(A1)", 'Hamas')
    >>> spreadsheet_safe(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export(G: nx.MultiDiGraph, path: Path | str, fmt: str, *, dynamic: bool = False) -> None:
    """Write ``G`` as ``fmt`` (one of :data:`EXPORT_FORMATS`); CSV ``path`` is a folder."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    if dynamic and fmt != "gexf":
        raise InputError("--dynamic applies to GEXF only")
    if fmt == "gexf":
        write_gexf(G, path, dynamic=dynamic)
    elif fmt == "graphml":
        write_graphml(G, path)
    else:
        write_csv(G, path)
