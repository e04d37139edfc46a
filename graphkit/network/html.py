"""One self-contained, offline HTML view of the network.

The page embeds vis-network (the copy shipped inside pyvis, so nothing is fetched), its
own stylesheet and scripts (assets/: view.js, and labels.js for the entity labels), and
the graph as a JSON document in a ``<script type="application/json">`` element.
Escaping: the JSON has every ``<``, ``>`` and ``&`` written as ``\\u`` escapes, so no
text can close the element; the title is HTML-escaped; vis-network shows string
tooltips with ``innerText``; the page scripts set document text only with
``textContent`` and text nodes, and draw labels with the canvas's ``fillText``.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("e:a", label="A <b>", **{"class": "State"})
>>> page = render_html(G, title="demo")
>>> "<title>demo</title>" in page and "A <b>" not in page and "<script src=" not in page
True
"""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.errors import OutputError
from graphkit.fileio import atomic_write
from graphkit.network.viewdata import edge_summary, edge_tooltip, node_tooltip, view_data

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["edge_summary", "edge_tooltip", "node_tooltip", "page_json", "render_html",
           "write_html"]

_SLOT = re.compile(r"<!--gk:(\w+)-->")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write_html(G: nx.MultiDiGraph, path: Path | str, *, title: str = "graphkit",
               physics: bool | None = None) -> None:
    """Write the interactive view of ``G`` to ``path`` (one file, nothing else).

    ``physics`` turns vis-network's live layout on or off; by default it is on only for
    small graphs, larger ones keep the Python layout as is.
    """
    page = render_html(G, title=title, physics=physics)
    try:
        with atomic_write(Path(path)) as fh:
            fh.write(page)
    except OSError as exc:
        raise OutputError(f"cannot write HTML to {path}: {exc.strerror or exc}") from exc


def render_html(G: nx.MultiDiGraph, *, title: str = "graphkit",
                physics: bool | None = None) -> str:
    """The page as a string."""
    assets = files("graphkit.network") / "assets"
    vis_css, vis_js = _vis_network()
    slots = {
        "title": html.escape(title),
        "vis_css": vis_css,
        "vis_js": vis_js,
        "css": assets.joinpath("view.css").read_text(encoding="utf-8"),
        "labels_js": assets.joinpath("labels.js").read_text(encoding="utf-8"),
        "js": assets.joinpath("view.js").read_text(encoding="utf-8"),
        "data": page_json(view_data(G, physics=physics)),
    }
    template = assets.joinpath("view.html").read_text(encoding="utf-8")
    # One pass: inserted text is never scanned for further slots.
    return _SLOT.sub(lambda m: slots[m.group(1)], template)


def page_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element.

    >>> page_json({"q": "</script><b>&"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _vis_network() -> tuple[str, str]:
    """vis-network's stylesheet and script from the copy inside pyvis."""
    from graphkit.network.visjs import view_library

    return view_library().read()
