"""The TriG export: one named graph per document, everything shared in the default graph.

A document's graph (named by the document's IRI) holds its document node, its statement
nodes and the direct triples of the claims it asserts; a direct triple asserted by two
documents is in both graphs. Entities, aggregates, contradictions and the extraction
activity belong to the corpus and stay in the default graph.

>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.rdf.build import statements_to_graph
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> a = Entity("a", "A", EntityType.STATE)
>>> b = Entity("b", "B", EntityType.STATE)
>>> sts = [Statement(a, Relation.RIVAL_OF, b, Modality.ASSERTED, 0.5, None,
...                  Evidence(doc, "A fought B.", 0, 11)) for doc in ("d1", "d2")]
>>> store = to_dataset(statements_to_graph(sts))
>>> sorted(len(list(store.quads_for_pattern(None, None, None, g))) for g in store.named_graphs())
[15, 15]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from graphkit.errors import OutputError
from graphkit.rdf.store import oxigraph_copy, write_sorted
from graphkit.rdf.terms import with_prefixes

if TYPE_CHECKING:
    import pyoxigraph

TRIG_FILE = "graph.trig"

# Run in order on a copy of the graph: copy each document's node, its statement nodes and
# the direct triples of its asserted claims into the document's graph, then take what was
# copied out of the default graph. (Oxigraph runs these in Rust, far faster than building
# an rdflib Dataset triple by triple.)
PARTITION = (
    "INSERT { GRAPH ?doc { ?doc ?p ?o } } WHERE { ?doc a gk:Document ; ?p ?o }",
    "INSERT { GRAPH ?doc { ?st ?p ?o } } "
    "WHERE { ?doc a gk:Document . ?st prov:wasDerivedFrom ?doc ; ?p ?o }",
    "INSERT { GRAPH ?doc { ?s ?rel ?o } } "
    "WHERE { ?doc a gk:Document . ?st prov:wasDerivedFrom ?doc ; gk:modality 'asserted' ; "
    "rdf:subject ?s ; rdf:predicate ?rel ; rdf:object ?o . ?s ?rel ?o }",
    "DELETE { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
)


def to_dataset(graph: Graph) -> pyoxigraph.Store:
    """An in-memory store holding ``graph`` split into per-document named graphs and a
    default graph."""
    store = oxigraph_copy(graph)
    for update in PARTITION:
        store.update(with_prefixes(update))
    return store


def write_trig(graph: Graph, path: Path) -> Path:
    """Write the TriG export of ``graph`` atomically to ``path``."""
    try:
        write_sorted(to_dataset(graph), Path(path))
    except OSError as err:
        raise OutputError(f"cannot write {path}: {' '.join(str(err).split())}") from None
    return Path(path)
