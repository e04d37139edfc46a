"""End to end: the sample article in seeds/ through every stage."""

from __future__ import annotations

import json

import rdflib

from graphkit.network import read_gexf
from graphkit.rdf import graph_to_statements, run_query
from graphkit.vocab import GK

from .conftest import ROOT

SEEDS = ROOT / "seeds"


def test_seeds_build_finds_the_taliban_al_qaeda_alliance_with_evidence(seeds_build):
    out, summary = seeds_build
    result = run_query(out, """
        SELECT ?sentence WHERE {
          ?st rdf:predicate gk:alliedWith ; gk:modality "asserted" ; gk:evidence ?sentence ;
              rdf:subject ?a ; rdf:object ?b .
          FILTER((?a = ent:taliban && ?b = ent:al-qaeda) || (?a = ent:al-qaeda && ?b = ent:taliban))
        }""")
    sentences = {str(row[0]) for row in result.rows}
    assert any("alliance between al-Qaeda and the Taliban" in s for s in sentences)
    assert summary.documents == 1 and summary.statements >= 2


def test_seeds_build_asserted_alliance_has_direct_triple(seeds_build):
    out, _ = seeds_build
    graph = rdflib.Graph().parse(out / "graph.ttl")
    ent = rdflib.Namespace("https://w3id.org/graphkit/entity/")
    assert (ent["al-qaeda"], GK.alliedWith, ent.taliban) in graph or (
        ent.taliban, GK.alliedWith, ent["al-qaeda"]) in graph


def test_seeds_build_keeps_speculation_out_of_direct_triples(seeds_build):
    out, _ = seeds_build
    graph = rdflib.Graph().parse(out / "graph.ttl")
    for st in graph_to_statements(graph):
        direct = (rdflib.URIRef(st.subject.iri), st.predicate.iri, rdflib.URIRef(st.object.iri))
        claims = [s for s in graph_to_statements(graph) if s.key() == st.key()
                  and s.modality.value == "asserted"]
        if not claims:
            assert direct not in graph


def test_seeds_statements_jsonl_matches_the_graph_and_the_text(seeds_build):
    from graphkit.ingest import iter_documents

    out, _ = seeds_build
    rows = [json.loads(line) for line in (out / "statements.jsonl").open(encoding="utf-8")]
    graph = rdflib.Graph().parse(out / "graph.ttl")
    assert len(rows) == len(graph_to_statements(graph))
    (doc,) = iter_documents([SEEDS])
    for row in rows:
        assert doc.text[row["start"]:row["end"]] == row["sentence"]


def test_seeds_gexf_has_every_entity_of_the_graph(seeds_build):
    out, _ = seeds_build
    network = read_gexf(out / "graph.gexf")
    labels = {d.get("label") for _, d in network.nodes(data=True)}
    assert {"Taliban", "al-Qaeda"} <= labels


def test_building_twice_gives_identical_outputs(seeds_build, tmp_path, settings):
    from graphkit.build import build

    out, _ = seeds_build
    again = tmp_path / out.name  # the HTML title names the build folder
    build([SEEDS], again, settings)
    for name in ("graph.ttl", "statements.jsonl", "graph.gexf", "graph.html"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
