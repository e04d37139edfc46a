"""Namespaces, prefixes and the deterministic IRIs of the statement model.

Statement and document IRIs are hashes of what identifies them, so the same input
always gives the same graph (docs/decisions/0001-statement-model.md).

>>> compact("https://w3id.org/graphkit/entity/taliban")
'ent:taliban'
>>> compact("https://example.org/x y")
'<https://example.org/x y>'
>>> str(document_iri("seeds/000.txt")) == str(document_iri("seeds/000.txt"))
True
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from graphkit.vocab import DOCUMENT_BASE, ENT, ONTOLOGY_IRI, STATEMENT_BASE, WD

STMT = Namespace(STATEMENT_BASE)
DOC = Namespace(DOCUMENT_BASE)
WDT = Namespace("http://www.wikidata.org/prop/direct/")
# Plain namespaces rather than rdflib's closed XSD/SDO classes, which warn when probed.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SCHEMA = Namespace("https://schema.org/")
EXTRACTION_BASE = "https://w3id.org/graphkit/extraction/"
AGENT_BASE = "https://w3id.org/graphkit/agent/"
AGG = Namespace("https://w3id.org/graphkit/aggregate/")
CONTRA = Namespace("https://w3id.org/graphkit/contradiction/")

# Prefixes bound in every graph and known to every query; order is the binding order.
PREFIXES: dict[str, str] = {
    "gk": ONTOLOGY_IRI + "#",
    "ent": str(ENT),
    "stmt": str(STMT),
    "doc": str(DOC),
    "agg": str(AGG),
    "contra": str(CONTRA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "wdt": str(WDT),
    "xsd": str(XSD),
}

# A conservative Turtle/SPARQL local name: anything else is printed as a full <IRI>.
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the graphkit prefixes on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


def with_prefixes(query: str) -> str:
    """Prepend the graphkit PREFIX lines the query (or update) does not declare itself.

    >>> with_prefixes("PREFIX gk: <x#> SELECT * {}").count("PREFIX gk:")
    1
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w\-.]*):", query)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p.lower() not in declared]
    return "\n".join(lines + [query])


def digest(*parts: str) -> str:
    """A short stable hash of ``parts``; the separator keeps ("ab", "c") apart from ("a", "bc").

    >>> digest("a", "bc") != digest("ab", "c")
    True
    >>> len(digest("x"))
    16
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def document_iri(doc_id: str) -> URIRef:
    """The document node for a document id (its text's hash is ``gk:contentHash``)."""
    return DOC[digest(doc_id)]


def extraction_iri(extractor: str) -> URIRef:
    """The ``prov:Activity`` of one extractor version, e.g. ``.../extraction/graphkit-0.1.0``."""
    return URIRef(EXTRACTION_BASE + quote(extractor, safe="-._~"))


def agent_iri(extractor: str) -> URIRef:
    """The ``prov:SoftwareAgent`` of one extractor version."""
    return URIRef(AGENT_BASE + quote(extractor, safe="-._~"))


def compact(iri: str) -> str:
    """Shorten an IRI with the longest matching prefix, or wrap it in angle brackets."""
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local == "" or _LOCAL_NAME.match(local):
            return f"{best}:{local}"
    return f"<{iri}>"
