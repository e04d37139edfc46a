"""The corpus layer: aggregates, contradictions, incremental builds, TriG, saved queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graphkit.build import build, remove
from graphkit.cli import main
from graphkit.errors import InputError, QueryError
from graphkit.rdf import run_query
from graphkit.rdf.saved import saved_queries, saved_query
from graphkit.vocab import GK, Relation

from .corpus_kit import COAST, DELTA, LIONS, SAND, assert_valid, write_corpus


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory, settings, extractor) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    out = root / "out"
    build([write_corpus(root / "docs")], out, settings, extractor=extractor)
    assert_valid(out)
    return out


def _graph(out: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(out / "graph.ttl")


def _aggregate(graph: rdflib.Graph, s: str, relation: Relation, o: str) -> dict[str, object]:
    from graphkit.corpus import aggregate_iri

    node = aggregate_iri(s, relation, o)
    assert (node, RDF.type, GK.Aggregate) in graph, (s, relation, o)
    out: dict[str, object] = {}
    for prop in ("supportCount", "denialCount", "documentCount", "sourceCount", "firstYear",
                 "lastYear", "aggregateConfidence"):
        value = graph.value(node, GK[prop])
        out[prop] = None if value is None else value.toPython()
    out["statements"] = set(graph.objects(node, GK.hasStatement))
    return out


def _confidences(graph: rdflib.Graph, statements: set) -> list[float]:
    return [float(graph.value(st, GK.confidence)) for st in statements
            if str(graph.value(st, GK.modality)) == "asserted"]


# --- aggregates -----------------------------------------------------------------------

def test_aggregate_counts_statements_documents_and_sources(corpus_build):
    graph = _graph(corpus_build)
    agg = _aggregate(graph, DELTA, Relation.ALLIED_WITH, COAST)
    # a and b assert it, both from the same outlet: two documents, one source
    assert (agg["supportCount"], agg["denialCount"], agg["documentCount"],
            agg["sourceCount"]) == (2, 0, 2, 1)
    assert (agg["firstYear"], agg["lastYear"]) == (2014, 2016)
    assert len(agg["statements"]) == 2


def test_symmetric_aggregate_is_one_node_whatever_the_direction(corpus_build):
    from graphkit.corpus import aggregate_iri

    assert aggregate_iri(DELTA, Relation.ALLIED_WITH, COAST) == aggregate_iri(
        COAST, Relation.ALLIED_WITH, DELTA)
    graph = _graph(corpus_build)
    node = aggregate_iri(DELTA, Relation.ALLIED_WITH, COAST)
    assert str(graph.value(node, GK.aggregateSubject)) == min(DELTA, COAST)


def test_aggregate_confidence_is_noisy_or_of_documents(corpus_build):
    graph = _graph(corpus_build)
    agg = _aggregate(graph, DELTA, Relation.ALLIED_WITH, COAST)
    first, second = _confidences(graph, agg["statements"])
    expected = round(min(1 - (1 - first) * (1 - second), 0.99), 3)
    assert float(agg["aggregateConfidence"]) == pytest.approx(expected)
    assert float(agg["aggregateConfidence"]) > max(first, second)


def test_year_falls_back_to_the_document_date(corpus_build):
    # a's rivalry sentence gives no year (document dated 2014), b's says 2016
    agg = _aggregate(_graph(corpus_build), DELTA, Relation.RIVAL_OF, LIONS)
    assert (agg["supportCount"], agg["firstYear"], agg["lastYear"]) == (2, 2014, 2016)


def test_denials_are_counted_but_do_not_support(corpus_build):
    agg = _aggregate(_graph(corpus_build), LIONS, Relation.ALLIED_WITH, DELTA)
    # e asserts it (no source: counts as its own), c denies it
    assert (agg["supportCount"], agg["denialCount"], agg["documentCount"],
            agg["sourceCount"]) == (1, 1, 1, 1)
    assert len(agg["statements"]) == 2


# --- contradictions -------------------------------------------------------------------

def _contradictions(out: Path) -> set[tuple[str, frozenset[str]]]:
    graph = _graph(out)
    return {(str(graph.value(c, GK.contradictionKind)),
             frozenset(str(e) for e in graph.objects(c, GK.between)))
            for c in graph.subjects(RDF.type, GK.Contradiction)}


def test_the_corpus_has_exactly_the_known_contradictions(corpus_build):
    assert _contradictions(corpus_build) == {
        ("allied-and-rival", frozenset({DELTA, COAST})),
        ("allied-and-rival", frozenset({DELTA, LIONS})),
        ("asserted-and-negated", frozenset({DELTA, LIONS})),
        ("splinter-and-affiliate", frozenset({SAND, DELTA})),
    }


def test_contradiction_sides_carry_the_right_evidence(corpus_build):
    from graphkit.corpus.report import list_contradictions

    (report,) = [r for r in list_contradictions(corpus_build, "allied-and-rival")
                 if {"Free Coast Brigades", "Red Delta Army"} == {
                     r.claims[0].subject, r.claims[0].object}]
    assert sorted(c.document for c in report.claims) == ["a", "b"]
    assert [c.document for c in report.counter_claims] == ["c"]
    assert "clashed" in report.counter_claims[0].evidence
    with pytest.raises(QueryError, match="unknown contradiction kind"):
        list_contradictions(corpus_build, "friends-and-foes")


def test_contradictions_command_prints_both_sides(corpus_build):
    result = CliRunner().invoke(main, ["contradictions", str(corpus_build),
                                       "--kind", "asserted-and-negated"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("asserted-and-negated: ")
    assert any(line.startswith("  + ") and "[e]" in line for line in lines)
    assert any(line.startswith("  - ") and "(negated" in line and "[c]" in line for line in lines)
    assert lines[-1] == "(1 contradiction)"


# --- incremental builds ---------------------------------------------------------------

def _statement_nodes(out: Path) -> set[URIRef]:
    return set(_graph(out).subjects(RDF.type, GK.Statement))


def _nt(out: Path) -> list[str]:
    return sorted(_graph(out).serialize(format="nt").splitlines())


def test_adding_documents_adds_only_their_statements(tmp_path, settings, extractor,
                                                     corpus_build):
    out = tmp_path / "out"
    first = build([write_corpus(tmp_path / "ab", "ab")], out, settings, extractor=extractor)
    before = _statement_nodes(out)
    second = build([write_corpus(tmp_path / "all")], out, settings, extractor=extractor)
    after = _statement_nodes(out)
    # a and b come again under the same JSONL ids with the same text: skipped
    assert (first.documents, second.documents, second.unchanged) == (2, 3, 2)
    assert before < after
    # the incremental build equals the build of everything at once
    assert _nt(out) == _nt(corpus_build)
    assert_valid(out)


def test_same_content_is_skipped_and_nothing_duplicated(tmp_path, settings, extractor):
    out = tmp_path / "out"
    docs = write_corpus(tmp_path / "docs", "abc")
    build([docs], out, settings, extractor=extractor)
    ttl = (out / "graph.ttl").read_bytes()
    jsonl = (out / "statements.jsonl").read_bytes()
    again = build([docs], out, settings, extractor=extractor)
    assert (again.unchanged, again.documents, again.replaced) == (3, 0, 0)
    assert (out / "graph.ttl").read_bytes() == ttl
    assert (out / "statements.jsonl").read_bytes() == jsonl


def test_changed_document_replaces_its_statements(tmp_path, settings, extractor):
    out = tmp_path / "out"
    build([write_corpus(tmp_path / "v1", "ac")], out, settings, extractor=extractor)
    new_text = "The Red Delta Army negotiated with the Free Coast Brigades in 2020."
    summary = build([write_corpus(tmp_path / "v2", "c", c=new_text)], out, settings,
                    extractor=extractor)
    assert (summary.replaced, summary.total_documents) == (1, 2)
    sentences = {str(s) for s in _graph(out).objects(None, GK.evidence)}
    assert new_text in sentences
    assert not any("clashed" in s for s in sentences)
    assert _contradictions(out) == set()  # the rivalry that contradicted a is gone
    rows = [json.loads(x) for x in (out / "statements.jsonl").read_text().splitlines()]
    assert {r["doc"] for r in rows} == {"a", "c"}
    assert not any("clashed" in r["sentence"] for r in rows)
    assert_valid(out)


def test_remove_takes_a_document_out_again(tmp_path, settings, extractor):
    out, reference = tmp_path / "out", tmp_path / "reference"
    build([write_corpus(tmp_path / "all", "abc")], out, settings, extractor=extractor)
    build([write_corpus(tmp_path / "ab", "ab")], reference, settings, extractor=extractor)
    summary = remove(["c"], out, settings)
    assert (summary.removed, summary.total_documents) == (1, 2)
    assert _nt(out) == _nt(reference)
    with pytest.raises(InputError, match="no document 'zz'"):
        remove(["zz"], out, settings)
    result = CliRunner().invoke(main, ["remove", "b", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "now holds 1 documents" in result.output
    assert_valid(out)


def test_remove_from_a_folder_without_build_is_an_error(tmp_path, settings):
    with pytest.raises(InputError, match="holds no build"):
        remove(["a"], tmp_path, settings)


def test_building_the_same_input_twice_gives_identical_files(tmp_path, settings, extractor,
                                                             corpus_build):
    again = tmp_path / corpus_build.name
    build([write_corpus(tmp_path / "docs")], again, settings, extractor=extractor)
    for name in ("graph.ttl", "graph.trig", "statements.jsonl", "graph.gexf", "graph.html"):
        assert (again / name).read_bytes() == (corpus_build / name).read_bytes(), name


def test_trig_has_one_named_graph_per_document(corpus_build):
    from graphkit.rdf.terms import document_iri

    dataset = rdflib.Dataset().parse(corpus_build / "graph.trig", format="trig")
    named = {g.identifier for g in dataset.graphs()} - {dataset.default_graph.identifier}
    assert named == {document_iri(d) for d in "abcde"}
    c_graph = dataset.graph(document_iri("c"))
    assert {str(m) for m in c_graph.objects(None, GK.modality)} == {"asserted", "negated"}
    assert (URIRef(DELTA), GK.rivalOf, URIRef(COAST)) in c_graph


# --- saved queries --------------------------------------------------------------------

ARGS = {"group": "Red Delta Army", "year": "2016", "first": "Free Coast Brigades",
        "second": "Mountain Lions Front", "subject": "Red Delta Army",
        "object": "Mountain Lions Front"}


@pytest.mark.parametrize("name", [q.name for q in saved_queries()])
def test_every_saved_query_runs(corpus_build, name):
    saved = saved_query(name)
    assert saved is not None and saved.description
    result = run_query(corpus_build, saved.bind({p.name: ARGS[p.name]
                                                 for p in saved.parameters}))
    assert result.kind == "select"


def _column(result, name: str) -> list[str]:
    index = result.variables.index(name)
    return [str(row[index]) for row in result.rows]


def test_allies_of_matches_any_label_case_insensitively(corpus_build):
    saved = saved_query("allies-of")
    result = run_query(corpus_build, saved.bind({"group": "free coast brigades"}))
    assert _column(result, "ally") == [DELTA]
    assert _column(result, "statements") == ["2"]


def test_as_of_year_finds_ties_that_held_then(corpus_build):
    saved = saved_query("as-of-year")
    ties = lambda y: set(zip(_column(run_query(corpus_build, saved.bind({"year": y})),  # noqa: E731
                                     "relation"),
                             _column(run_query(corpus_build, saved.bind({"year": y})),
                                     "objectLabel"), strict=True))
    assert (str(GK.alliedWith), "Red Delta Army") in ties("2015")
    assert (str(GK.rivalOf), "Red Delta Army") not in {
        t for t in ties("2018") if t[1] == "Free Coast Brigades"}
    with pytest.raises(QueryError, match="must be an integer"):
        saved.bind({"year": "2015 } ; DROP ALL"})


def test_splinter_lineage_and_evidence_for(corpus_build):
    lineage = run_query(corpus_build, saved_query("splinter-lineage").bind(
        {"group": "Red Delta Army"}))
    assert list(zip(_column(lineage, "direction"), _column(lineage, "other"),
                    strict=True)) == [("descendant", SAND)]
    evidence = run_query(corpus_build, saved_query("evidence-for").bind(
        {"subject": "Mountain Lions Front", "object": "Red Delta Army"}))
    assert {"negated", "asserted"} <= set(_column(evidence, "modality"))
    assert set(_column(evidence, "document")) == {"a", "b", "c", "e"}


def test_parameter_with_quotes_backslashes_and_braces_is_bound_safely(tmp_path):
    from graphkit.corpus import enrich
    from graphkit.model import Entity, Evidence, Statement
    from graphkit.rdf import statements_to_graph, write_build
    from graphkit.vocab import EntityType, Modality

    tricky = 'Sons of "North" \\ {cell} } UNION { ?x ?y ?z'
    a = Entity("sons", "Sons", EntityType.MILITANT_GROUP, aliases=(tricky,))
    b = Entity("daughters", "Daughters", EntityType.MILITANT_GROUP)
    st = Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.8, 2001,
                   Evidence("d", "Sons allied with Daughters.", 0, 27))
    write_build(enrich(statements_to_graph([st])), tmp_path)
    saved = saved_query("allies-of")
    result = run_query(tmp_path, saved.bind({"group": tricky}))
    assert _column(result, "allyLabel") == ["Daughters"]
    assert run_query(tmp_path, saved.bind({"group": tricky[:-1]})).rows == ()
    with pytest.raises(QueryError, match="needs --param group"):
        saved.bind({})
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        saved.bind({"group": "x", "colour": "red"})


def test_query_command_lists_and_runs_saved_queries(corpus_build):
    runner = CliRunner()
    listing = runner.invoke(main, ["query", "--list"])
    assert listing.exit_code == 0
    names = [line.split(":")[0] for line in listing.output.splitlines()]
    assert {"allies-of", "rivals-of", "affiliates-and-branches", "splinter-lineage",
            "two-hop-alliances", "brokers", "contradictions", "evidence-for", "as-of-year",
            "most-corroborated"} <= set(names)
    result = runner.invoke(main, ["query", str(corpus_build), "rivals-of", "--param",
                                  'group=Mountain Lions Front', "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert DELTA in result.output
    bad = runner.invoke(main, ["query", str(corpus_build), "rivals-of", "--param", "group"])
    assert bad.exit_code == 1 and "NAME=VALUE" in bad.output
    assert runner.invoke(main, ["query"]).exit_code == 2


# --- validation -----------------------------------------------------------------------

def test_seeds_build_conforms_to_the_shapes(seeds_build):
    out, _ = seeds_build
    assert_valid(out)


def test_validate_reports_violations_with_nonzero_exit(corpus_build, tmp_path):
    graph = _graph(corpus_build)
    statement = next(iter(graph.subjects(RDF.type, GK.Statement)))
    graph.set((statement, GK.modality, Literal("rumoured")))
    graph.remove((statement, GK.evidence, None))
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "gk:modality" in result.output and "gk:evidence" in result.output
    ok = CliRunner().invoke(main, ["validate", str(corpus_build)])
    assert ok.exit_code == 0 and "conforms" in ok.output


def test_remote_and_missing_sources_fail_with_one_line(tmp_path):
    with pytest.raises(QueryError, match="cannot reach"):
        run_query("http://127.0.0.1:9/sparql", "ASK {}")
    shutil.rmtree(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "nothing to validate" in result.output
