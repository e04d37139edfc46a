"""Property tests: arbitrary Unicode, markup and control characters in, outputs that parse.

Text goes the way a file's text goes (ingest normalisation, then the session extractor);
its statements, plus statements built with hostile labels, titles and sentences taken
from the same text, go to RDF, GEXF and the HTML view. Every output must parse, the RDF
must round-trip, the GEXF must keep the labels, and the HTML page must hold exactly the
elements and attributes of the same page built from harmless text: no markup escapes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from graphkit.ingest import normalize_text
from graphkit.model import Document, Entity, Evidence, Statement, slugify
from graphkit.network import read_gexf, render_html, to_networkx, write_gexf
from graphkit.network.gexf import xml_safe
from graphkit.rdf import statements_to_graph
from graphkit.vocab import EntityType, Modality, Relation

MARKUP = [
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<!--", "-->",
    "<img src=x onerror=alert(3)>", '"><svg onload=alert(4)>', "]]>", "<![CDATA[",
    "&amp;", "&#x3c;", "'", '"', "\\", '"""', "\\u003c/script>", "{{ x }}", "${x}",
    "javascript:alert(5)", "<style>*{}</style>", "\u2028", "\u202e", "\ufeff", "\x00",
    "\x07", "\x1b[31m", "\r", "\ud800", "\udfff", "\uffff", "\x85", "@prefix x: <y> .",
]
RELATION_SENTENCE = "The Red Delta Army allied with the Free Coast Brigades in 2014."

raw_text = st.lists(
    st.one_of(st.sampled_from(MARKUP), st.text(min_size=1, max_size=12),
              st.characters(min_codepoint=0, max_codepoint=0x10FFFF)),
    min_size=1, max_size=12).map("".join)


class Elements(HTMLParser):
    """Counts start tags and the attribute names each tag carries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attributes.update((tag, name) for name, _ in attrs)


def elements(page: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser.tags, parser.attributes


def hostile_statements(text: str) -> tuple[list[Statement], list[Document]]:
    """Two statements whose every free-text field is taken from ``text``."""
    label = text.strip() or "x"
    a = Entity(f"{slugify(label)}-a", label, EntityType.MILITANT_GROUP,
               aliases=(label + " alias",), minted=True)
    b = Entity("ordinary-b", "Ordinary B", EntityType.STATE, qid="Q1")
    doc = Document(id=f"doc {label}", text=text, title=label, url=f"https://example.org/{label}",
                   source=label)
    evidence = Evidence(doc.id, label, 0, len(label))
    return ([Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.5, 2001, evidence),
             Statement(b, Relation.RIVAL_OF, a, Modality.NEGATED, 0.25, None, evidence)], [doc])


def harmless(statements: list[Statement], docs: list[Document]):
    """The same statements and documents with every free-text field made plain."""
    def entity(e: Entity) -> Entity:
        return replace(e, label=f"label {e.id}", aliases=tuple(f"alias {e.id}"
                                                               for _ in e.aliases))
    plain = [replace(s, subject=entity(s.subject), object=entity(s.object),
                     evidence=replace(s.evidence, sentence="plain sentence"))
             for s in statements]
    return plain, [replace(d, title="plain" if d.title else None) for d in docs]


def check_outputs(statements: list[Statement], docs: list[Document], folder: Path) -> None:
    graph = statements_to_graph(statements, docs)
    turtle = graph.serialize(format="turtle")
    assert isomorphic(rdflib.Graph().parse(data=turtle, format="turtle"), graph)

    network = to_networkx(graph)
    gexf = folder / "graph.gexf"
    write_gexf(network, gexf)
    ET.parse(gexf)
    back = read_gexf(gexf)
    # labels survive, with only the characters XML cannot carry replaced
    assert {d["label"] for _, d in back.nodes(data=True)} == \
        {xml_safe(str(d["label"])) for _, d in network.nodes(data=True)}

    page = render_html(network, title="graphkit: test")
    plain_statements, plain_docs = harmless(statements, docs)
    template = render_html(to_networkx(statements_to_graph(plain_statements, plain_docs)),
                           title="graphkit: test")
    assert elements(page) == elements(template)
    # Raw "<" never appears in data (the JSON in the page escapes it), so no new tag can.
    for needle in ("<script", "</script", "<img", "<svg", "<!--", "]]>"):
        assert page.count(needle) == template.count(needle), needle


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=raw_text)
def test_any_text_gives_outputs_that_parse_and_contain_no_markup(extractor, tmp_path: Path,
                                                                 text: str) -> None:
    clean = normalize_text(text)
    clean.encode("utf-8")  # nothing unencodable survives ingest normalisation
    doc = Document("doc-1", f"{clean}\n\n{RELATION_SENTENCE} {clean}",
                   title=clean.strip() or None)
    found = [s for _doc, statements in extractor.extract([doc]) for s in statements]
    for s in found:
        assert doc.text[s.evidence.start:s.evidence.end] == s.evidence.sentence
    hostile, hostile_docs = hostile_statements(clean)
    check_outputs(found + hostile, [doc, *hostile_docs], tmp_path)


def test_control_characters_in_a_label_from_outside_ingest_still_give_valid_gexf(
        tmp_path: Path) -> None:
    statements, docs = hostile_statements("Group\x01\x0b name\ufffe")
    check_outputs(statements, docs, tmp_path)
