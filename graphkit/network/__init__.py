"""The network stage: RDF statement graph → networkx multigraph → HTML view, GEXF,
GraphML, CSV, and network analytics.

>>> from rdflib import Graph
>>> to_networkx(Graph()).number_of_nodes()
0
"""

from graphkit.network.analytics import Analysis, analyse, annotate, report
from graphkit.network.build import add_layout_and_measures, edge_key, to_networkx
from graphkit.network.exports import EXPORT_FORMATS, export, write_csv, write_graphml
from graphkit.network.gexf import read_gexf, write_gexf
from graphkit.network.html import render_html, write_html
from graphkit.network.source import read_graph, read_network
from graphkit.network.style import CLASS_COLORS, RELATION_COLORS

__all__ = [
    "CLASS_COLORS",
    "EXPORT_FORMATS",
    "RELATION_COLORS",
    "Analysis",
    "add_layout_and_measures",
    "analyse",
    "annotate",
    "edge_key",
    "export",
    "read_gexf",
    "read_graph",
    "read_network",
    "render_html",
    "report",
    "to_networkx",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_html",
]
