"""Seeded node positions, computed once in Python and shared by the HTML view and GEXF.

Small graphs use networkx's spring layout. From :data:`LARGE_GRAPH` nodes on, networkx's
sparse Fruchterman-Reingold loops over nodes in Python (over a minute for 5,000 nodes),
so :func:`fast_spring` runs the same algorithm vectorised with numpy, in row chunks so
memory stays bounded. Above :data:`SPREAD_FROM` nodes the layout grows with the square
root of the node count, so nodes keep about the same distance apart (and so their size
in the view stays small beside the gaps) however many there are.

>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
>>> layout(G) == layout(G) and sorted(layout(G)) == ["a", "b", "c"]
True
>>> pos = fast_spring(nx.path_graph(4), seed=1, iterations=20)
>>> sorted(pos) == [0, 1, 2, 3]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

LAYOUT_SEED = 42
LARGE_GRAPH = 400
SPREAD_FROM = 300
_CHUNK = 512


def layout(G: nx.Graph, scale: float | None = None) -> dict[str, tuple[float, float]]:
    """Positions keyed by ``str(node)``, rounded so files are byte-identical run to run.

    ``scale`` is the half-width of the drawing; by default 1000, growing as the square
    root of the node count above :data:`SPREAD_FROM` nodes.
    """
    import networkx as nx

    if G.number_of_nodes() == 0:
        return {}
    if scale is None:
        scale = 1000.0 * (max(G.number_of_nodes(), SPREAD_FROM) / SPREAD_FROM) ** 0.5
    # Only who touches whom matters: an undirected simple view, sorted so the result
    # does not depend on insertion order.
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G.nodes, key=str))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in G.edges() if u != v))
    if simple.number_of_nodes() < LARGE_GRAPH:
        pos: dict[Any, Any] = nx.spring_layout(simple, seed=LAYOUT_SEED, scale=scale)
    else:
        pos = fast_spring(simple, seed=LAYOUT_SEED, scale=scale)
    return {str(n): (round(float(x), 2), round(float(y), 2)) for n, (x, y) in pos.items()}


def fast_spring(G: nx.Graph, *, seed: int = LAYOUT_SEED, iterations: int = 50,
                scale: float = 1000.0) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold with numpy: repulsion between all pairs, attraction on edges."""
    import numpy as np

    nodes = list(G.nodes)
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in G.edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    pos = np.random.default_rng(seed).random((n, 2))
    k = np.sqrt(1.0 / n)
    t = 0.1
    cool = t / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos, k)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            pull = delta * (np.linalg.norm(delta, axis=1) / k)[:, None]
            np.add.at(disp, pairs[:, 0], -pull)
            np.add.at(disp, pairs[:, 1], pull)
        length = np.maximum(np.linalg.norm(disp, axis=1), 0.01)
        pos += disp * (t / length)[:, None]
        t -= cool
    pos -= pos.mean(axis=0)
    # Scale by the bulk, not the extremes: a few flung-out loners would shrink the rest.
    pos *= scale / max(float(np.percentile(np.abs(pos), 98)), 1e-9)
    # Loners pushed far out (small components repel everything) come back to the rim:
    # otherwise fitting the view to every node leaves the bulk small in one corner.
    radius = np.linalg.norm(pos, axis=1)
    rim = 1.2 * scale
    far = radius > rim
    pos[far] *= (rim / radius[far])[:, None]
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def _repulsion(pos: Any, k: float) -> Any:
    import numpy as np

    # x and y apart in float32: half the memory traffic of an (n, n, 2) float64 array.
    x, y = (pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32))
    disp = np.zeros_like(pos)
    k2 = np.float32(k * k)
    for start in range(0, len(pos), _CHUNK):
        dx = x[start:start + _CHUNK, None] - x[None, :]
        dy = y[start:start + _CHUNK, None] - y[None, :]
        inv = dx * dx
        inv += dy * dy
        np.maximum(inv, np.float32(1e-6), out=inv)
        np.divide(k2, inv, out=inv)
        disp[start:start + _CHUNK, 0] = np.einsum("ij,ij->i", dx, inv)
        disp[start:start + _CHUNK, 1] = np.einsum("ij,ij->i", dy, inv)
    return disp
