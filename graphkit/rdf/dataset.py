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
>>> ds = to_dataset(statements_to_graph(sts))
>>> sorted(len(g) for g in ds.graphs() if g.identifier != ds.default_graph.identifier)
[15, 15]
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from graphkit.errors import OutputError
from graphkit.fileio import atomic_write
from graphkit.rdf.terms import bind_prefixes
from graphkit.vocab import GK, Modality

TRIG_FILE = "graph.trig"


def to_dataset(graph: Graph) -> Dataset:
    """Split ``graph`` into per-document named graphs and a default graph."""
    dataset = Dataset()
    bind_prefixes(dataset)
    placed: set[tuple] = set()
    for doc in sorted(set(graph.subjects(RDF.type, GK.Document)), key=str):
        named = dataset.graph(URIRef(str(doc)))
        for triple in graph.triples((doc, None, None)):
            named.add(triple)
            placed.add(triple)
        for statement in graph.subjects(PROV.wasDerivedFrom, doc):
            for triple in graph.triples((statement, None, None)):
                named.add(triple)
                placed.add(triple)
            direct = _direct_triple(graph, statement)
            if direct is not None:
                named.add(direct)
                placed.add(direct)
    default = dataset.default_graph
    for triple in graph:
        if triple not in placed:
            default.add(triple)
    return dataset


def _direct_triple(graph: Graph, statement: Node) -> tuple | None:
    if str(graph.value(statement, GK.modality)) != Modality.ASSERTED.value:
        return None
    s, p, o = (graph.value(statement, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
    if s is None or p is None or o is None or (s, p, o) not in graph:
        return None
    return (s, p, o)


def write_trig(graph: Graph, path: Path) -> Path:
    """Write the TriG export of ``graph`` atomically to ``path``."""
    data = to_dataset(graph).serialize(format="trig", encoding="utf-8")
    try:
        with atomic_write(Path(path), "wb") as fh:
            fh.write(data)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {' '.join(str(err).split())}") from None
    return Path(path)
