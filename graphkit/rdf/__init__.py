"""The RDF stage: statements to a provenance-carrying graph, a queryable store, SPARQL.

The graph follows docs/decisions/0001-statement-model.md: every claim is a
``gk:Statement`` node with its evidence; only asserted claims add the direct triple.

>>> from graphkit.model import Entity, Evidence, Statement
>>> from graphkit.vocab import EntityType, Modality, Relation
>>> a = Entity("group-a", "Group A", EntityType.MILITANT_GROUP)
>>> b = Entity("group-b", "Group B", EntityType.MILITANT_GROUP)
>>> st = Statement(a, Relation.RIVAL_OF, b, Modality.ASSERTED, 0.7, 2020,
...                Evidence("d1", "Group A clashed with Group B.", 0, 29))
>>> graph = statements_to_graph([st])
>>> graph_to_statements(graph) == [st]
True
"""

from graphkit.rdf.build import DEFAULT_EXTRACTOR, statement_iri, statements_to_graph
from graphkit.rdf.formats import FORMATS, format_result
from graphkit.rdf.query import read_query, run_query
from graphkit.rdf.read import graph_to_statements
from graphkit.rdf.result import QueryResult
from graphkit.rdf.store import ACCEPTED_SOURCES, load_source, write_build
from graphkit.rdf.terms import PREFIXES, bind_prefixes, compact, document_iri

__all__ = [
    "ACCEPTED_SOURCES",
    "DEFAULT_EXTRACTOR",
    "FORMATS",
    "PREFIXES",
    "QueryResult",
    "bind_prefixes",
    "compact",
    "document_iri",
    "format_result",
    "graph_to_statements",
    "load_source",
    "read_query",
    "run_query",
    "statement_iri",
    "statements_to_graph",
    "write_build",
]
