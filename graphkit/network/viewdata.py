"""The data behind the HTML view: nodes, edges, legend and filter ranges as one JSON
document, plus the plain-text tooltips.

Everything here is data; the page's script (assets/view.js) turns it into the network,
the filters and the panels, setting document text only as DOM text.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="A", **{"class": "State"}, qid="Q1")
>>> G.add_node("e:b", label="B", **{"class": "MilitantGroup"}, qid="javascript:x")
>>> _ = G.add_edge("e:a", "e:b", relation="supports", modality="asserted", weight=1,
...                documents=1, confidence=0.5, first_year=2001, last_year=2003)
>>> data = view_data(G)
>>> [n.get("qid") for n in data["nodes"]], data["years"]
(['Q1', None], [2001, 2003])
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from graphkit.network.gexf import edge_label, is_symmetric, measures_of, positions_of
from graphkit.network.style import (
    CLASS_COLORS,
    PHYSICS_NODE_LIMIT,
    edge_color,
    edge_width,
    node_color,
    node_size,
    relation_color,
)
from graphkit.vocab import Modality, Relation

if TYPE_CHECKING:
    import networkx as nx

TOOLTIP_QUOTES = 5  # more would not fit a tooltip; the click panel lists them all
QUOTE_CHARS = 300
# Above this many edges, labels and curves cost more drawing time than they help:
# edges are straight (parallel ones still curve apart) and named in tooltips only.
LABEL_EDGE_LIMIT = 2000
_QID = re.compile(r"Q[1-9]\d*")


def view_data(G: nx.MultiDiGraph, *, physics: bool | None = None) -> dict[str, Any]:
    """The JSON document the page script reads."""
    large = G.number_of_edges() > LABEL_EDGE_LIMIT
    if physics is None:
        physics = G.number_of_nodes() <= PHYSICS_NODE_LIMIT
    nodes = _nodes(G)
    edges = _edges(G, large)
    years = sorted({y for e in edges for y in (e.get("first_year"), e.get("last_year"))
                    if y is not None})
    return {
        "nodes": nodes,
        "edges": edges,
        "relations": _relations(G),
        "classes": _classes(G),
        "modalities": [m.value for m in Modality],
        "years": [years[0], years[-1]] if years else None,
        "maxSources": max((e["sources"] for e in edges), default=1),
        "options": _options(physics, large),
    }


def _nodes(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    positions, measures = positions_of(G), measures_of(G)
    out = []
    for node, d in sorted(G.nodes(data=True)):
        entity_class, degree = str(d.get("class", "Entity")), G.degree(node)
        x, y = positions[str(node)]
        row = {"id": str(node), "label": str(d.get("label", node)), "x": x, "y": y,
               "color": node_color(entity_class), "size": node_size(degree),
               "title": node_tooltip(d, degree), "class": entity_class,
               "aliases": [str(a) for a in d.get("aliases") or ()],
               "minted": bool(d.get("minted", False)), **measures[str(node)]}
        if _QID.fullmatch(str(d.get("qid", ""))):  # only a real QID may become a link
            row["qid"] = str(d["qid"])
        out.append(row)
    return out


def _edges(G: nx.MultiDiGraph, large: bool) -> list[dict[str, Any]]:
    labels = {n: str(d.get("label", n)) for n, d in G.nodes(data=True)}
    seen: dict[frozenset[Any], int] = defaultdict(int)
    out = []
    ordered = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for i, (u, v, _key, d) in enumerate(ordered):
        relation, modality = str(d["relation"]), str(d["modality"])
        # Parallel edges between one pair get growing curvature so none hides another.
        nth = seen[frozenset((u, v))]
        seen[frozenset((u, v))] += 1
        row: dict[str, Any] = {
            "id": f"e{i}", "from": str(u), "to": str(v),
            "label": edge_label(relation, modality),
            "color": edge_color(relation, modality),
            "width": edge_width(int(d.get("weight", 1))),
            "dashes": modality != Modality.ASSERTED.value,
            "arrows": {"to": {"enabled": not is_symmetric(relation)}},
            "symmetric": is_symmetric(relation),
            "smooth": _smooth(nth, large),
            "title": edge_tooltip(labels[u], labels[v], d),
            "relation": relation, "modality": modality,
            "confidence": float(d.get("confidence", 0.0)),
            "statements": int(d.get("weight", 1)),
            "documents": int(d.get("documents", 0)),
            "sources": int(d.get("sources", d.get("documents", 1))),
            "summary": edge_summary(d),
            "evidence": d.get("evidence", []),
        }
        if large:
            row["name"] = row.pop("label")  # kept for the panel, not drawn on the canvas
        for year in ("first_year", "last_year"):
            if d.get(year) is not None:
                row[year] = int(d[year])
        out.append(row)
    return out


def _smooth(nth: int, large: bool) -> dict[str, Any]:
    if large and nth == 0:
        return {"enabled": False}
    return {"enabled": True, "type": "curvedCW", "roundness": 0.1 + 0.2 * nth}


def _options(physics: bool, large: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": physics, "solver": "barnesHut",
                    # Longer springs than vis's default leave room for edge labels.
                    "barnesHut": {"springLength": 220, "avoidOverlap": 0.2},
                    "stabilization": {"enabled": physics, "iterations": 300, "fit": True}},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        # Node labels are drawn by the page script (constant size, no overlaps). Edge
        # labels appear only once zoomed in far enough to be 11-12 px on screen.
        "nodes": {"shape": "dot"},
        "edges": {"font": {"size": 11, "align": "middle", "color": "#444"},
                  "scaling": {"label": {"drawThreshold": 11, "maxVisible": 12}}},
    }


def _relations(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    count: dict[str, int] = defaultdict(int)
    for _, _, d in G.edges(data=True):
        count[str(d["relation"])] += 1
    known = [r.value for r in Relation if r.value in count]
    others = sorted(set(count) - set(known))
    return [{"id": r, "label": _relation_label(r), "color": relation_color(r),
             "count": count[r]} for r in known + others]


def _relation_label(relation: str) -> str:
    try:
        return Relation(relation).label
    except ValueError:
        return relation


def _classes(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    count: dict[str, int] = defaultdict(int)
    for _, d in G.nodes(data=True):
        count[str(d.get("class", "Entity"))] += 1
    known = [t.value for t in CLASS_COLORS if t.value in count]
    others = sorted(set(count) - set(known))
    return [{"id": c, "color": node_color(c), "count": count[c]} for c in known + others]


def edge_summary(d: dict[str, Any]) -> str:
    """One line: modality, support, years, confidence.

    >>> edge_summary({"modality": "asserted", "weight": 2, "documents": 1,
    ...               "first_year": 2001, "last_year": 2004, "confidence": 0.9})
    'asserted · 2 statements · 1 document · 2001–2004 · confidence 0.90'
    """
    n, docs = int(d.get("weight", 0)), int(d.get("documents", 0))
    parts = [str(d.get("modality")), f"{n} statement{'s' * (n != 1)}",
             f"{docs} document{'s' * (docs != 1)}"]
    first, last = d.get("first_year"), d.get("last_year")
    if first is not None:
        parts.append(str(first) if first == last else f"{first}–{last}")
    parts.append(f"confidence {float(d.get('confidence', 0.0)):.2f}")
    return " · ".join(parts)


def edge_tooltip(source: str, target: str, d: dict[str, Any]) -> str:
    """Plain text (vis-network shows it with innerText): header, summary, first quotes."""
    link = " — " if is_symmetric(str(d["relation"])) else " → "
    name = edge_label(str(d["relation"]), str(d["modality"]))
    lines = [f"{source}{link}{name}{link}{target}",
             edge_summary(d), ""]
    evidence = d.get("evidence", [])
    for ev in evidence[:TOOLTIP_QUOTES]:
        quote = str(ev.get("sentence", ""))
        if len(quote) > QUOTE_CHARS:
            quote = quote[:QUOTE_CHARS] + "…"
        lines.append(f"“{quote}”")
        where = ", ".join(str(ev[k]) for k in ("title", "doc", "date") if ev.get(k))
        lines.append(f"    — {where}")
    if len(evidence) > TOOLTIP_QUOTES:
        lines.append(f"… {len(evidence) - TOOLTIP_QUOTES} more: click the edge")
    return "\n".join(lines)


def node_tooltip(d: dict[str, Any], degree: int) -> str:
    """Plain text: label, class, identifiers, aliases."""
    lines = [str(d.get("label", "")), str(d.get("class", "Entity"))]
    if d.get("qid"):
        lines.append(f"Wikidata {d['qid']}")
    if d.get("minted"):
        lines.append("not in the gazetteer (minted)")
    if d.get("aliases"):
        lines.append("also: " + "; ".join(d["aliases"]))
    lines.append(f"{degree} relation edge{'s' * (degree != 1)}")
    return "\n".join(lines)
