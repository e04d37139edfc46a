"""The network stage: RDF statement graph → networkx multigraph → HTML view and GEXF.

>>> from rdflib import Graph
>>> to_networkx(Graph()).number_of_nodes()
0
"""

from graphkit.network.build import edge_key, to_networkx
from graphkit.network.gexf import write_gexf
from graphkit.network.html import render_html, write_html
from graphkit.network.style import CLASS_COLORS, RELATION_COLORS

__all__ = [
    "CLASS_COLORS",
    "RELATION_COLORS",
    "edge_key",
    "render_html",
    "to_networkx",
    "write_gexf",
    "write_html",
]
