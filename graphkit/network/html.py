"""One self-contained, offline HTML view of the network (pyvis + vis-network).

pyvis's default (``cdn_resources="local"``) copies a ``lib/`` folder next to the output
file and loads scripts from it; ``"remote"`` loads them from a CDN. We use ``"in_line"``,
which embeds vis-network's JS and CSS in the page, and write the page ourselves with
:func:`atomic_write` instead of ``Network.write_html``.

Escaping: pyvis serialises nodes and edges with Jinja's ``tojson`` (``<``, ``>``, ``&``
and ``'`` become ``\\u`` escapes, so no quote can close the ``<script>``); vis-network
10 shows string tooltips with ``innerText`` (text, not HTML); the evidence panel
(assets/view.js) only ever sets ``textContent``.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="A <b>", **{"class": "State"})
>>> page = render_html(G, title="demo")
>>> "<title>demo</title>" in page and "A <b>" not in page and "<script src=" not in page
True
"""

from __future__ import annotations

import html
from collections import defaultdict
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import OutputError
from graphkit.fileio import atomic_write
from graphkit.network.gexf import edge_label
from graphkit.network.style import (
    CLASS_COLORS,
    LAYOUT_SEED,
    MUTED_GREY,
    PHYSICS_NODE_LIMIT,
    edge_color,
    edge_width,
    layout,
    node_color,
    node_size,
    relation_color,
)
from graphkit.vocab import Modality, Relation

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network

TOOLTIP_QUOTES = 5  # more would not fit a tooltip; the click panel lists them all
QUOTE_CHARS = 300
PANEL = ('<div id="gk-evidence" hidden><button id="gk-evidence-close" type="button" '
         'aria-label="close">&times;</button><div id="gk-evidence-body"></div></div>')


def write_html(G: nx.MultiDiGraph, path: Path | str, *, title: str = "graphkit") -> None:
    """Write the interactive view of ``G`` to ``path`` (one file, nothing else)."""
    page = render_html(G, title=title)
    try:
        with atomic_write(Path(path)) as fh:
            fh.write(page)
    except OSError as exc:
        raise OutputError(f"cannot write HTML to {path}: {exc.strerror or exc}") from exc


def render_html(G: nx.MultiDiGraph, *, title: str = "graphkit") -> str:
    """The page as a string."""
    net = _network(G, title)
    page = net.generate_html()
    assets = files("graphkit.network") / "assets"
    css = assets.joinpath("view.css").read_text(encoding="utf-8")
    js = assets.joinpath("view.js").read_text(encoding="utf-8")
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>"
                        f"\n<style>{css}</style>", 1)
    cut = page.rfind("</body>")
    if cut < 0:
        raise OutputError("pyvis produced a page without </body>; cannot add the panel")
    return page[:cut] + f"{PANEL}\n<script>{js}</script>\n" + page[cut:]


def _network(G: nx.MultiDiGraph, title: str) -> Network:
    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(height="85vh", width="100%", directed=True, cdn_resources="in_line",
                  heading=title, tooltip_link_override=False)
    positions = layout(G)
    for node, data in sorted(G.nodes(data=True)):
        x, y = positions[str(node)]
        degree = G.degree(node)
        net.add_node(str(node), label=str(data.get("label", node)),
                     color=node_color(str(data.get("class"))), size=node_size(degree),
                     x=x, y=y, title=node_tooltip(data, degree), gk=_node_panel(data, degree))
    # pyvis's add_edge keeps one edge per (source, target) pair; parallel relations
    # between the same pair are separate edges here, so they are appended directly.
    net.edges.extend(Edge(str(u), str(v), True, **opts).options
                     for u, v, opts in _edges(G))
    net.set_options(_options(G.number_of_nodes()))
    net.add_legend(use_groups=False, add_nodes=_legend_nodes(G), add_edges=_legend_edges(G),
                   main="Legend", position="left", width=0.14)
    return net


def _edges(G: nx.MultiDiGraph) -> list[tuple[Any, Any, dict[str, Any]]]:
    labels = {n: str(d.get("label", n)) for n, d in G.nodes(data=True)}
    seen: dict[frozenset[Any], int] = defaultdict(int)
    out = []
    ordered = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for i, (u, v, _key, d) in enumerate(ordered):
        relation, modality = str(d["relation"]), str(d["modality"])
        # Parallel edges between one pair get growing curvature so none hides another.
        nth = seen[frozenset((u, v))]
        seen[frozenset((u, v))] += 1
        out.append((u, v, {
            "id": f"e{i}",
            "label": edge_label(relation, modality),
            "color": edge_color(relation, modality),
            "width": edge_width(int(d.get("weight", 1))),
            "dashes": modality != Modality.ASSERTED.value,
            "arrows": {"to": {"enabled": not _symmetric(relation)}},
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.1 + 0.2 * nth},
            "title": edge_tooltip(labels[u], labels[v], d),
            "gk": {"summary": edge_summary(d), "evidence": d.get("evidence", [])},
        }))
    return out


def _symmetric(relation: str) -> bool:
    try:
        return Relation(relation).symmetric
    except ValueError:
        return False


def _options(n_nodes: int) -> dict[str, Any]:
    physics = n_nodes <= PHYSICS_NODE_LIMIT
    return {
        "physics": {"enabled": physics, "solver": "barnesHut",
                    # Longer springs than vis's default leave room for edge labels.
                    "barnesHut": {"springLength": 220, "avoidOverlap": 0.2},
                    "stabilization": {"enabled": physics, "iterations": 300, "fit": True}},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {"shape": "dot", "font": {"size": 14}},
        "edges": {"font": {"size": 10, "align": "middle", "color": "#444"}},
    }


def _legend_nodes(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    present = {str(d.get("class")) for _, d in G.nodes(data=True)}
    known = [t.value for t in CLASS_COLORS if t.value in present]
    others = sorted(present - set(known))
    return [{"label": c, "color": node_color(c)} for c in known + others]


def _legend_edges(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    present = {str(d["relation"]) for _, _, d in G.edges(data=True)}
    items = [{"label": r.label, "color": relation_color(r.value), "width": 3}
             for r in Relation if r.value in present]
    if any(d["modality"] != Modality.ASSERTED.value for _, _, d in G.edges(data=True)):
        items.append({"label": "negated / hypothetical", "color": MUTED_GREY, "width": 3,
                      "dashes": True})
    return items


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
    lines = [f"{source} → {edge_label(str(d['relation']), str(d['modality']))} → {target}",
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
    return "\n".join([str(d.get("label", "")), *_node_details(d, degree)])


def _node_details(d: dict[str, Any], degree: int) -> list[str]:
    lines = [str(d.get("class", "Entity"))]
    if d.get("qid"):
        lines.append(f"Wikidata {d['qid']}")
    if d.get("minted"):
        lines.append("not in the gazetteer (minted)")
    if d.get("aliases"):
        lines.append("also: " + "; ".join(d["aliases"]))
    lines.append(f"{degree} relation edge{'s' * (degree != 1)}")
    return lines


def _node_panel(d: dict[str, Any], degree: int) -> dict[str, Any]:
    details = _node_details(d, degree)
    return {"summary": details[0], "details": details[1:]}
