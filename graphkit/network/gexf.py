"""GEXF export for Gephi and Gephi Lite.

By default static attributes only (Gephi Lite's parser, graphology-gexf, drops spells and
rejects files that mix dynamic and static attributes), no list values and no ``None``
(networkx's writer refuses both), ``viz`` colours, sizes and positions from
:mod:`graphkit.network.style`, and no modification date, so the same graph always
gives the same bytes. Symmetric ties (allied with, rival of, negotiates with) are
``type="undirected"`` edges in an otherwise directed graph, as GEXF 1.3 allows, so Gephi
draws them without arrows; networkx's own reader refuses such mixed graphs, so
:func:`read_gexf` reads the file back into networkx. ``dynamic=True`` adds spells
(first to last year seen) to edges and nodes for Gephi desktop's timeline; Gephi Lite
cannot read those files.

>>> import networkx as nx, pathlib, tempfile
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="A", **{"class": "State"}, aliases=["Ay"], minted=False)
>>> G.add_node("e:b", label="B", **{"class": "Location"}, aliases=[], minted=True)
>>> _ = G.add_edge("e:a", "e:b", key="operatesIn|asserted", relation="operatesIn",
...                modality="asserted", confidence=0.7, weight=2, documents=1, evidence=[])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.gexf"
>>> write_gexf(G, path)
>>> back = read_gexf(path)
>>> back.nodes["e:a"]["aliases"], back.nodes["e:a"]["degree"]
('Ay', 1)
>>> back.nodes["e:a"]["betweenness"], back.nodes["e:a"]["community"]
(0.0, -1)
>>> list(back.edges(keys=True))
[('e:a', 'e:b', 'operatesIn|asserted')]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import InputError, OutputError
from graphkit.fileio import atomic_write
from graphkit.network.analytics import analyse
from graphkit.network.layout import layout
from graphkit.network.style import edge_color, edge_width, hex_to_rgb, node_color, node_size
from graphkit.vocab import Modality, Relation

if TYPE_CHECKING:
    import networkx as nx

GEXF_VERSION = "1.3"
ALIAS_SEPARATOR = "; "


NODE_MEASURES = ("degree", "betweenness", "eigenvector", "community", "component", "bridge")


def write_gexf(G: nx.MultiDiGraph, path: Path | str, *, dynamic: bool = False) -> None:
    """Write ``G`` (as built by :func:`to_networkx`) to ``path`` as GEXF, atomically.

    ``dynamic`` writes spells from each edge's first to last year (and each node's
    earliest to latest) for Gephi desktop's timeline.
    """
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
    out = export_graph(G)
    if dynamic:
        _add_spells(out)
    writer.add_graph(out)
    _drop_key_attribute(writer.xml)
    meta = writer.xml.find("meta")
    if meta is not None:  # today's date would make every run's file differ
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "graphkit"
    try:
        with atomic_write(Path(path), "wb") as fh:
            writer.write(fh)
    except OSError as exc:
        raise OutputError(f"cannot write GEXF to {path}: {exc.strerror or exc}") from exc


def export_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` holding only what GEXF can carry, plus ``viz`` styling."""
    import networkx as nx

    out = nx.MultiDiGraph(name=G.graph.get("name", "graphkit"))
    positions = positions_of(G)
    measures = measures_of(G)
    for node, data in sorted(G.nodes(data=True)):
        attrs = _node_attrs(data, G.degree(node), positions[str(node)])
        out.add_node(xml_safe(node), **_clean({**attrs, **measures[str(node)]}))
    for i, (u, v, key, data) in enumerate(sorted(G.edges(keys=True, data=True),
                                                 key=lambda e: (e[0], e[1], e[2]))):
        out.add_edge(xml_safe(u), xml_safe(v), key=key, **_clean(_edge_attrs(data)),
                     id=f"e{i}")
    return out


def _drop_key_attribute(root: Any) -> None:
    """Remove networkx's ``networkx_key`` edge attribute: an internal name, no data.

    The key is ``relation|modality``, which the edge's own attributes already say.
    """
    ids = set()
    for attributes in root.iter("attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                ids.add(attribute.get("id"))
                attributes.remove(attribute)
    for values in root.iter("attvalues"):
        for value in list(values):
            if value.get("for") in ids:
                values.remove(value)


def read_gexf(path: Path | str) -> nx.MultiDiGraph:
    """Read a GEXF file :func:`write_gexf` wrote back into networkx.

    networkx's ``read_gexf`` refuses an undirected edge in a directed graph; here a
    symmetric tie comes back as one directed edge (smaller entity first, as
    :func:`~graphkit.network.to_networkx` stores it) with ``directed=False``, and
    every edge is keyed ``relation|modality`` again.
    """
    import networkx as nx
    from networkx.readwrite.gexf import GEXFReader

    undirected: set[str] = set()

    class _MixedReader(GEXFReader):
        def add_edge(self, G: Any, edge_element: Any, edge_attr: Any) -> None:
            if edge_element.attrib.pop("type", None) == "undirected":
                undirected.add(str(edge_element.get("id")))
            super().add_edge(G, edge_element, edge_attr)

    try:
        read = _MixedReader(node_type=None)(path)
    except (OSError, SyntaxError, nx.NetworkXError) as exc:  # ParseError is a SyntaxError
        raise InputError(f"cannot read GEXF {path}: {exc}") from exc
    out = nx.MultiDiGraph(**read.graph)
    out.add_nodes_from(read.nodes(data=True))
    for u, v, data in read.edges(data=True):
        key = f"{data['relation']}|{data['modality']}" if "relation" in data else data["id"]
        out.add_edge(u, v, key=key, **data, directed=data["id"] not in undirected)
    return out


# Characters XML 1.0 cannot carry at all (controls, non-characters, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value: Any) -> Any:
    """A string with every character XML forbids replaced by U+FFFD; other values as is.

    >>> xml_safe("Group\x01 name")
    'Group\ufffd name'
    """
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {key: xml_safe(value) for key, value in attrs.items()}


def _node_attrs(data: dict[str, Any], degree: int, pos: tuple[float, float]) -> dict[str, Any]:
    entity_class = str(data.get("class", "Entity"))
    attrs: dict[str, Any] = {
        "label": str(data.get("label", "")),
        "class": entity_class,
        "aliases": ALIAS_SEPARATOR.join(data.get("aliases") or ()),
        "minted": bool(data.get("minted", False)),
        "viz": {"color": _viz_color(node_color(entity_class)), "size": node_size(degree),
                "position": {"x": pos[0], "y": pos[1], "z": 0.0}},
    }
    if data.get("qid"):
        attrs["qid"] = str(data["qid"])
    return attrs


def _edge_attrs(data: dict[str, Any]) -> dict[str, Any]:
    relation, modality = str(data["relation"]), str(data["modality"])
    weight = int(data.get("weight", 1))
    attrs: dict[str, Any] = {
        "label": edge_label(relation, modality),
        "weight": weight,
        "relation": relation,
        "modality": modality,
        "confidence": float(data.get("confidence", 0.0)),
        "statements": weight,
        "documents": int(data.get("documents", 0)),
        "sources": int(data.get("sources", data.get("documents", 0))),
        "viz": {"color": _viz_color(edge_color(relation, modality)),
                "thickness": edge_width(weight)},
    }
    if is_symmetric(relation):
        attrs["type"] = "undirected"  # the writer makes it the edge's GEXF type
    for year in ("first_year", "last_year"):
        if data.get(year) is not None:
            attrs[year] = int(data[year])
    return attrs


def edge_label(relation: str, modality: str) -> str:
    """Human label of an edge; non-asserted claims say so.

    >>> edge_label("alliedWith", "asserted"), edge_label("rivalOf", "negated")
    ('allied with', 'rival of (negated)')
    """
    try:
        text = Relation(relation).label
    except ValueError:
        text = relation
    return text if modality == Modality.ASSERTED.value else f"{text} ({modality})"


def is_symmetric(relation: str) -> bool:
    """Whether a relation (by local name) reads the same both ways; unknown ones do not.

    >>> is_symmetric("rivalOf"), is_symmetric("leaderOf"), is_symmetric("unheardOf")
    (True, False, False)
    """
    try:
        return Relation(relation).symmetric
    except ValueError:
        return False


def _viz_color(color: str) -> dict[str, Any]:
    r, g, b = hex_to_rgb(color)
    return {"r": r, "g": g, "b": b, "a": 1.0}


def positions_of(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """The ``x``/``y`` node attributes ``to_networkx`` stored, else a fresh layout."""
    if all("x" in d and "y" in d for _, d in G.nodes(data=True)):
        return {str(n): (float(d["x"]), float(d["y"])) for n, d in G.nodes(data=True)}
    return layout(G)


def measures_of(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """The analytics node attributes ``to_networkx`` stored, else computed now."""
    if all(all(m in d for m in NODE_MEASURES) for _, d in G.nodes(data=True)):
        return {str(n): {m: d[m] for m in NODE_MEASURES} for n, d in G.nodes(data=True)}
    computed = analyse(G).node_attrs()
    return {str(n): computed[str(n)] for n in G.nodes}


def _add_spells(out: nx.MultiDiGraph) -> None:
    out.graph["mode"] = "dynamic"
    years: dict[Any, list[int]] = {n: [] for n in out.nodes}
    for u, v, data in out.edges(data=True):
        if "first_year" in data:
            data["spells"] = [(data["first_year"], data["last_year"])]
            years[u] += [data["first_year"], data["last_year"]]
            years[v] += [data["first_year"], data["last_year"]]
    for node, seen in years.items():
        if seen:
            out.nodes[node]["spells"] = [(min(seen), max(seen))]
