"""graphkit: reporting on militant groups in, a provenance-carrying knowledge graph out.

The flow is Document → spaCy Doc → Mention → Entity → Statement → RDF graph →
networkx graph → HTML / GEXF; each stage lives in its own subpackage.
"""

__version__ = "0.1.0"
