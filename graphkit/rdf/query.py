"""SPARQL over a build folder or an RDF file, answered by Oxigraph.

The graphkit prefixes (gk:, ent:, prov:, skos:, owl:, rdf:, rdfs:, dcterms:, schema:,
wd:, xsd:, ...) are known to every query; a query's own PREFIX lines win over them.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.ttl"
>>> _ = path.write_text('<https://w3id.org/graphkit/entity/a> '
...     '<https://w3id.org/graphkit/ontology#alliedWith> '
...     '<https://w3id.org/graphkit/entity/b> .')
>>> result = run_query(path, "SELECT ?o WHERE { ent:a gk:alliedWith ?o }")
>>> result.kind, result.variables, [str(row[0]) for row in result.rows]
('select', ('o',), ['https://w3id.org/graphkit/entity/b'])
>>> bool(run_query(path, "ASK { ?s gk:rivalOf ?o }").boolean)
False
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef

from graphkit.errors import QueryError
from graphkit.rdf.result import QueryResult, Term
from graphkit.rdf.store import load_source
from graphkit.rdf.terms import PREFIXES, XSD, bind_prefixes

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["QueryResult", "Term", "read_query", "run_query", "to_rdflib"]

def run_query(source: str | Path | pyoxigraph.Store, query: str | Path) -> QueryResult:
    """Run ``query`` (SPARQL text, or the path of a ``.rq`` file) against ``source``.

    ``source`` is anything :func:`graphkit.rdf.store.load_source` accepts, the
    ``http(s)://`` URL of a SPARQL 1.1 Protocol endpoint, or a store already open (to
    run many queries without opening it each time). The query's
    default graph is the union of all graphs in the source. A syntax error raises
    QueryError carrying the parser's message on one line.
    """
    text = read_query(query)
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        from graphkit.rdf.remote import remote_query

        return remote_query(source, text)
    import pyoxigraph

    store = source if isinstance(source, pyoxigraph.Store) else load_source(source)
    try:
        # Named graphs (from .trig/.nq files) count as data unless a query asks for GRAPH.
        answer = store.query(text, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
        return _materialise(answer)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {_parser_message(str(err))}") from None
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"query failed: {' '.join(str(err).split())}") from None


def read_query(query: str | Path) -> str:
    """The SPARQL text itself, or the contents of a ``.rq`` file it names.

    >>> read_query("ASK {}")
    'ASK {}'
    """
    looks_like_file = isinstance(query, Path) or (
        query.strip().endswith(".rq") and "\n" not in query.strip()
    )
    if not looks_like_file:
        return str(query)
    path = Path(str(query).strip())
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise QueryError(f"cannot read query file {path}: {err.strerror or err}") from None


def _parser_message(message: str) -> str:
    """Oxigraph's message on one line, without its long lists of character classes.

    >>> _parser_message("error at 1:28: expected one of Prefix not found, ['%'],\\n['.']")
    'error at 1:28: undeclared prefix'
    """
    text = " ".join(message.split())
    text = text.replace("expected one of Prefix not found", "undeclared prefix")
    return re.split(r",? \[['\\]", text, maxsplit=1)[0].rstrip(",; ")


def _materialise(answer: Any) -> QueryResult:
    import pyoxigraph

    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, pyoxigraph.QueryTriples):
        graph = bind_prefixes(Graph())
        for triple in answer:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                       to_rdflib(triple.object)))
        return QueryResult(kind="graph", graph=graph)
    variables = tuple(variable.value for variable in answer.variables)
    rows = tuple(
        tuple(_cell(solution[name]) for name in variables) for solution in answer
    )
    return QueryResult(kind="select", variables=variables, rows=rows)


def _cell(term: Any) -> Term | None:
    return None if term is None else to_rdflib(term)


def to_rdflib(term: Any) -> Term:
    """An Oxigraph term as the equal rdflib term, keeping the literal's exact lexical form.

    >>> import pyoxigraph
    >>> to_rdflib(pyoxigraph.Literal("0.50", datatype=pyoxigraph.NamedNode(str(XSD.decimal))))
    rdflib.term.Literal('0.50', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    # RDF 1.2 triple terms have no rdflib counterpart; show them as text.
    return Literal(str(term))

