"""The RDF stage: graph shape, round trip, determinism, store, SPARQL, formats, ontology."""

from __future__ import annotations

import csv
import io
import json
import random
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from graphkit.errors import InputError, OutputError, QueryError
from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.rdf import (
    PREFIXES,
    document_iri,
    format_result,
    graph_to_statements,
    load_source,
    run_query,
    statement_iri,
    statements_to_graph,
    write_build,
)
from graphkit.rdf.terms import XSD
from graphkit.settings import Settings
from graphkit.vocab import GK, WD, EntityType, Modality, Relation

DOC_ID = "wire/2019-03-02.txt"
TEXT = (
    "The Northern Front fought alongside the Coastal Brigades near Port Vell, officials said. "
    "The Northern Front is not at war with the Hill Militia. "
    "Aldoria may be arming the Coastal Brigades. "
    "Commander Ysolde Marr leads the Northern Front."
)

FRONT = Entity("northern-front", "Northern Front", EntityType.MILITANT_GROUP,
               aliases=("NF", "the Front"), qid="Q123456")
BRIGADES = Entity("coastal-brigades", "Coastal Brigades", EntityType.MILITANT_GROUP)
HILL = Entity("hill-militia", "Hill Militia", EntityType.MILITANT_GROUP, minted=True)
ALDORIA = Entity("aldoria", "Aldoria", EntityType.STATE, qid="Q999")
MARR = Entity("ysolde-marr", "Ysolde Marr", EntityType.PERSON, minted=True)
PORT = Entity("port-vell", "Port Vell", EntityType.LOCATION)


def _span(sentence: str) -> Evidence:
    start = TEXT.index(sentence)
    return Evidence(DOC_ID, sentence, start, start + len(sentence))


ALLY = Statement(FRONT, Relation.ALLIED_WITH, BRIGADES, Modality.ASSERTED, 0.87, 2019,
                 _span("The Northern Front fought alongside the Coastal Brigades near "
                       "Port Vell, officials said."))
NOT_RIVAL = Statement(FRONT, Relation.RIVAL_OF, HILL, Modality.NEGATED, 0.6, 2019,
                      _span("The Northern Front is not at war with the Hill Militia."))
MAYBE_ARMS = Statement(ALDORIA, Relation.SUPPORTS, BRIGADES, Modality.HYPOTHETICAL, 0.45, None,
                       _span("Aldoria may be arming the Coastal Brigades."))
LEADER = Statement(MARR, Relation.LEADER_OF, FRONT, Modality.ASSERTED, 0.9, None,
                   _span("Commander Ysolde Marr leads the Northern Front."))
OPERATES = Statement(FRONT, Relation.OPERATES_IN, PORT, Modality.ASSERTED, 0.5, 2019,
                     ALLY.evidence)
STATEMENTS = [ALLY, NOT_RIVAL, MAYBE_ARMS, LEADER, OPERATES]
DOCUMENT = Document(DOC_ID, TEXT, title="Fighting near Port Vell", date="2019-03-02",
                    url="https://news.example/port-vell", source="Example Wire")


@pytest.fixture
def graph() -> Graph:
    return statements_to_graph(STATEMENTS, [DOCUMENT])


@pytest.fixture
def build(tmp_path: Path, graph: Graph) -> Path:
    write_build(graph, tmp_path / "out")
    return tmp_path / "out"


def _nt_lines(graph: Graph) -> list[str]:
    return sorted(graph.serialize(format="nt").splitlines())


# --- graph shape -------------------------------------------------------------------------

def test_round_trip_gives_equal_statements(graph: Graph) -> None:
    back = graph_to_statements(graph)
    assert len(back) == len(STATEMENTS)
    assert set(back) == set(STATEMENTS)


def test_round_trip_order_does_not_depend_on_input_order() -> None:
    shuffled = STATEMENTS[:]
    random.Random(7).shuffle(shuffled)
    assert graph_to_statements(statements_to_graph(shuffled)) == graph_to_statements(
        statements_to_graph(STATEMENTS))


def test_round_trip_survives_turtle_text(graph: Graph) -> None:
    reparsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert set(graph_to_statements(reparsed)) == set(STATEMENTS)


def test_negated_and_hypothetical_claims_give_no_direct_triple(graph: Graph) -> None:
    assert (URIRef(FRONT.iri), GK.rivalOf, URIRef(HILL.iri)) not in graph
    assert (URIRef(ALDORIA.iri), GK.supports, URIRef(BRIGADES.iri)) not in graph
    assert (URIRef(HILL.iri), GK.rivalOf, URIRef(FRONT.iri)) not in graph
    # ...but both stay queryable as statement nodes
    modalities = {str(m) for m in graph.objects(None, GK.modality)}
    assert {"negated", "hypothetical"} <= modalities


def test_asserted_claims_give_exactly_their_direct_triples(graph: Graph) -> None:
    relation_iris = {r.iri for r in Relation}
    direct = {(s, p, o) for s, p, o in graph if p in relation_iris}
    assert direct == {
        (URIRef(st.subject.iri), st.predicate.iri, URIRef(st.object.iri))
        for st in (ALLY, LEADER, OPERATES)
    }


def test_statement_node_carries_the_adr_properties(graph: Graph) -> None:
    node = statement_iri(ALLY)
    assert (node, RDF.type, GK.Statement) in graph
    assert graph.value(node, RDF.subject) == URIRef(FRONT.iri)
    assert graph.value(node, RDF.predicate) == GK.alliedWith
    assert graph.value(node, RDF.object) == URIRef(BRIGADES.iri)
    assert graph.value(node, GK.modality) == Literal("asserted")
    confidence = graph.value(node, GK.confidence)
    assert isinstance(confidence, Literal) and confidence.datatype == XSD.decimal
    assert confidence.toPython() == Decimal("0.87")
    year = graph.value(node, GK.year)
    assert isinstance(year, Literal) and year.datatype == XSD.integer and year.toPython() == 2019
    assert str(graph.value(node, GK.evidence)) == ALLY.evidence.sentence
    assert graph.value(node, GK.startOffset).toPython() == ALLY.evidence.start
    assert graph.value(node, GK.endOffset).toPython() == ALLY.evidence.end
    assert graph.value(node, PROV.wasDerivedFrom) == document_iri(DOC_ID)


def test_statement_without_year_has_no_year_triple(graph: Graph) -> None:
    assert graph.value(statement_iri(LEADER), GK.year) is None


def test_extraction_activity_names_extractor_agent_and_model() -> None:
    g = statements_to_graph([ALLY], extractor="graphkit-9.9", model="tiny_model")
    activity = URIRef("https://w3id.org/graphkit/extraction/graphkit-9.9")
    agent = URIRef("https://w3id.org/graphkit/agent/graphkit-9.9")
    assert g.value(statement_iri(ALLY), PROV.wasGeneratedBy) == activity
    assert {GK.Extraction, PROV.Activity} <= set(g.objects(activity, RDF.type))
    assert g.value(activity, PROV.wasAssociatedWith) == agent
    assert (agent, RDF.type, PROV.SoftwareAgent) in g
    assert "tiny_model" in str(g.value(agent, RDFS.label))


def test_entity_nodes_have_class_labels_sameas_and_minted(graph: Graph) -> None:
    front, hill = URIRef(FRONT.iri), URIRef(HILL.iri)
    assert (front, RDF.type, GK.MilitantGroup) in graph
    assert graph.value(front, SKOS.prefLabel) == Literal("Northern Front")
    assert set(graph.objects(front, SKOS.altLabel)) == {Literal("NF"), Literal("the Front")}
    assert graph.value(front, OWL.sameAs) == WD["Q123456"]
    assert graph.value(front, GK.minted) is None
    assert graph.value(hill, GK.minted) == Literal(True)
    assert (URIRef(PORT.iri), RDF.type, GK.Location) in graph


def test_document_node_has_metadata(graph: Graph) -> None:
    node = document_iri(DOC_ID)
    assert {GK.Document, PROV.Entity} <= set(graph.objects(node, RDF.type))
    assert str(graph.value(node, GK.documentId)) == DOC_ID
    assert str(graph.value(node, GK.contentHash)) == DOCUMENT.content_hash
    assert str(graph.value(node, GK.source)) == "Example Wire"
    assert len(list(graph.subjects(RDF.type, GK.Document))) == 1


def test_entities_without_statements_are_described_too() -> None:
    loner = Entity("lone-cell", "Lone Cell", EntityType.MILITANT_GROUP)
    g = statements_to_graph([], entities=[loner])
    assert g.value(URIRef(loner.iri), SKOS.prefLabel) == Literal("Lone Cell")
    assert graph_to_statements(g) == []


def test_duplicate_claims_collapse_to_the_most_confident() -> None:
    weaker = Statement(ALLY.subject, ALLY.predicate, ALLY.object, ALLY.modality, 0.2,
                       ALLY.year, ALLY.evidence)
    g = statements_to_graph([weaker, ALLY])
    assert graph_to_statements(g) == [ALLY]


def test_confidence_is_rounded_to_three_places() -> None:
    fuzzy = Statement(FRONT, Relation.ALLIED_WITH, BRIGADES, Modality.ASSERTED, 0.123456, None,
                      ALLY.evidence)
    (back,) = graph_to_statements(statements_to_graph([fuzzy]))
    assert back.confidence == 0.123


def test_build_is_deterministic_whatever_the_input_order() -> None:
    first = statements_to_graph(STATEMENTS, [DOCUMENT])
    second = statements_to_graph(list(reversed(STATEMENTS)), [DOCUMENT])
    assert _nt_lines(first) == _nt_lines(second)
    assert first.serialize(format="turtle") == second.serialize(format="turtle")


def test_malformed_statement_raises_input_error(graph: Graph) -> None:
    graph.remove((document_iri(DOC_ID), GK.documentId, None))
    with pytest.raises(InputError, match="documentId"):
        graph_to_statements(graph)


def test_relation_outside_the_ontology_raises_input_error(graph: Graph) -> None:
    node = statement_iri(ALLY)
    graph.set((node, RDF.predicate, URIRef("https://example.org/other#alliedWith")))
    with pytest.raises(InputError, match="which is not a graphkit relation"):
        graph_to_statements(graph)


# --- build folder and store --------------------------------------------------------------

def test_graph_ttl_reparses_to_the_same_graph(build: Path, graph: Graph) -> None:
    reparsed = Graph().parse(build / "graph.ttl", format="turtle")
    assert _nt_lines(reparsed) == _nt_lines(graph)


def test_store_query_finds_ally_and_evidence(build: Path) -> None:
    assert (build / "store").is_dir()
    result = run_query(build, """
        SELECT ?ally ?sentence WHERE {
          ent:northern-front gk:alliedWith ?ally .
          ?st rdf:subject ent:northern-front ; rdf:predicate gk:alliedWith ;
              rdf:object ?ally ; gk:evidence ?sentence .
        }""")
    assert result.kind == "select"
    assert [(str(a), str(s)) for a, s in result.rows] == [(BRIGADES.iri, ALLY.evidence.sentence)]


def test_rebuild_replaces_previous_store_contents(build: Path) -> None:
    write_build(statements_to_graph([NOT_RIVAL]), build)
    ask = run_query(build / "store", "ASK { ?a gk:alliedWith ?b }")
    assert ask.boolean is False
    assert not (build / "store.tmp").exists()
    assert not (build / "store.old").exists()


def test_build_folder_without_store_falls_back_to_graph_ttl(build: Path) -> None:
    import shutil

    shutil.rmtree(build / "store")
    result = run_query(build, "SELECT ?b WHERE { ?a gk:alliedWith ?b }")
    assert [str(row[0]) for row in result.rows] == [BRIGADES.iri]


@pytest.mark.parametrize("suffix, rdflib_format", [
    (".nt", "nt"), (".jsonld", "json-ld"), (".rdf", "xml"), (".trig", "trig"), (".ttl", "turtle"),
])
def test_rdf_files_are_queryable_by_extension(
    tmp_path: Path, graph: Graph, suffix: str, rdflib_format: str
) -> None:
    path = tmp_path / f"graph{suffix}"
    graph.serialize(path, format=rdflib_format, encoding="utf-8")
    result = run_query(path, "SELECT ?p WHERE { ?p gk:leaderOf ent:northern-front }")
    assert [str(row[0]) for row in result.rows] == [MARR.iri]


def test_query_can_come_from_an_rq_file(build: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "leaders.rq"
    query_file.write_text("SELECT ?p WHERE { ?p gk:leaderOf ?g }", encoding="utf-8")
    assert len(run_query(build, str(query_file)).rows) == 1
    assert len(run_query(build, query_file).rows) == 1


def test_query_prefix_declaration_overrides_default(build: Path) -> None:
    result = run_query(build, "PREFIX gk: <https://example.org/nothing#> "
                              "ASK { ?a gk:alliedWith ?b }")
    assert result.boolean is False


def test_denials_are_found_through_modality(build: Path) -> None:
    result = run_query(build, 'SELECT ?o WHERE { ?st gk:modality "negated" ; rdf:object ?o }')
    assert [str(row[0]) for row in result.rows] == [HILL.iri]


# --- formats -----------------------------------------------------------------------------

EVIDENCE_QUERY = """SELECT ?st ?sentence ?conf ?year WHERE {
  ?st gk:evidence ?sentence ; gk:confidence ?conf . OPTIONAL { ?st gk:year ?year }
} ORDER BY ?sentence ?conf"""


def _oxigraph_answer(build: Path, fmt: pyoxigraph.QueryResultsFormat) -> str:
    store = pyoxigraph.Store.read_only(str(build / "store"))
    return store.query(EVIDENCE_QUERY, prefixes=PREFIXES).serialize(format=fmt).decode()


def test_json_format_is_sparql_results_json(build: Path) -> None:
    ours = json.loads(format_result(run_query(build, EVIDENCE_QUERY), "json"))
    reference = json.loads(_oxigraph_answer(build, pyoxigraph.QueryResultsFormat.JSON))
    assert ours == reference
    assert any("year" not in binding for binding in ours["results"]["bindings"])


def test_csv_format_is_sparql_csv(build: Path) -> None:
    ours = format_result(run_query(build, EVIDENCE_QUERY), "csv")
    reference = _oxigraph_answer(build, pyoxigraph.QueryResultsFormat.CSV)
    assert list(csv.reader(io.StringIO(ours))) == list(csv.reader(io.StringIO(reference)))
    assert ours.startswith("st,sentence,conf,year\r\n")
    assert '"The Northern Front fought alongside the Coastal Brigades near Port Vell, ' in ours


def test_table_format_compacts_iris_aligns_and_counts(build: Path) -> None:
    text = format_result(run_query(build, "SELECT ?a ?b WHERE { ?a gk:alliedWith ?b }"), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["a", "|", "b"]
    assert lines[2].split() == ["ent:northern-front", "|", "ent:coastal-brigades"]
    assert lines[0].index("|") == lines[2].index("|")
    assert lines[-1] == "(1 row)"


def test_table_of_no_rows_says_zero(build: Path) -> None:
    text = format_result(run_query(build, "SELECT ?a WHERE { ?a gk:mergedInto ?b }"), "table")
    assert text.splitlines()[-1] == "(0 rows)"


def test_ask_formats(build: Path) -> None:
    result = run_query(build, "ASK { ent:ysolde-marr gk:leaderOf ent:northern-front }")
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert format_result(result, "table") == "true\n"
    assert format_result(result, "csv") == "true\n"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
def test_construct_is_turtle_except_json_ld(build: Path) -> None:
    result = run_query(build, "CONSTRUCT { ?a gk:alliedWith ?b } WHERE { ?a gk:alliedWith ?b }")
    expected = {(URIRef(FRONT.iri), GK.alliedWith, URIRef(BRIGADES.iri))}
    for fmt in ("table", "csv"):
        turtle = Graph().parse(data=format_result(result, fmt), format="turtle")
        assert set(turtle) == expected
    jsonld = Graph().parse(data=format_result(result, "json"), format="json-ld")
    assert set(jsonld) == expected


def test_describe_returns_a_graph(build: Path) -> None:
    result = run_query(build, "DESCRIBE ent:port-vell")
    assert result.kind == "graph" and result.graph is not None
    assert (URIRef(PORT.iri), SKOS.prefLabel, Literal("Port Vell")) in result.graph


# --- error paths -------------------------------------------------------------------------

def test_missing_source_lists_accepted_kinds(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=r"no such query source.*\.ttl.*\.jsonld"):
        run_query(tmp_path / "nowhere", "ASK {}")


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "graph.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(QueryError, match="unknown RDF file type '.csv'"):
        load_source(path)


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="holds no store/ or graph.ttl"):
        load_source(tmp_path)


def test_unparsable_rdf_file_is_a_query_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(QueryError, match="cannot read"):
        load_source(path)


def test_bad_query_gives_one_line_parser_message(build: Path) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error: error at") as info:
        run_query(build, "SELECT ?a WHERE {\n ?a gk:alliedWith ")
    assert "\n" not in str(info.value)


def test_undeclared_prefix_is_named(build: Path) -> None:
    with pytest.raises(QueryError, match="undeclared prefix"):
        run_query(build, "SELECT ?a WHERE { ?a nosuch:p ?b }")


def test_missing_query_file_is_a_query_error(build: Path, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="cannot read query file"):
        run_query(build, str(tmp_path / "absent.rq"))


def test_unknown_format_lists_valid_names(build: Path) -> None:
    result = run_query(build, "ASK {}")
    with pytest.raises(QueryError, match="valid formats: table, csv, json"):
        format_result(result, "xml")


# --- ontology ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(Settings().ontology, format="turtle")


def _gk_terms_used(ontology: Graph) -> set[str]:
    base = str(GK._NS)
    return {str(term)[len(base):] for triple in ontology for term in triple
            if isinstance(term, URIRef) and str(term).startswith(base)}


def test_ontology_defines_exactly_the_gk_terms(ontology: Graph) -> None:
    declared_types = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    base = str(GK._NS)
    defined = {str(s)[len(base):] for t in declared_types for s in ontology.subjects(RDF.type, t)
               if str(s).startswith(base)}
    vocabulary = set(GK.__annotations__)
    assert defined == vocabulary
    assert _gk_terms_used(ontology) == vocabulary


def test_ontology_symmetry_matches_vocab(ontology: Graph) -> None:
    symmetric = {str(s) for s in ontology.subjects(RDF.type, OWL.SymmetricProperty)}
    assert symmetric == {str(r.iri) for r in Relation if r.symmetric}


def test_every_relation_has_label_comment_domain_and_range(ontology: Graph) -> None:
    for relation in Relation:
        for prop in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
            assert ontology.value(relation.iri, prop) is not None, (relation, prop)
        assert (relation.iri, RDF.type, OWL.ObjectProperty) in ontology


def test_every_class_has_label_and_comment(ontology: Graph) -> None:
    for cls in [t.iri for t in EntityType] + [GK.Statement, GK.Document, GK.Extraction]:
        assert (cls, RDF.type, OWL.Class) in ontology
        assert ontology.value(cls, RDFS.label) is not None
        assert ontology.value(cls, RDFS.comment) is not None
    assert (GK.Statement, RDFS.subClassOf, RDF.Statement) in ontology
    assert (GK.Extraction, RDFS.subClassOf, PROV.Activity) in ontology


def test_unwritable_build_folder_is_an_output_error(tmp_path: Path, graph: Graph) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the build folder should go", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write the build"):
        write_build(graph, blocker)
