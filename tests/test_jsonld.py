"""graphkit export --format jsonld: the whole graph, with the published context."""

from __future__ import annotations

import json

from click.testing import CliRunner
from rdflib import Graph

from graphkit.cli import main
from graphkit.rdf.store import read_source_graph
from graphkit.rdf.terms import PREFIXES
from graphkit.vocab import Relation

from .conftest import ROOT

CONTEXT = json.loads((ROOT / "ontologies" / "context.jsonld").read_text(encoding="utf-8"))


def test_the_published_context_has_every_prefix_and_a_term_per_relation():
    context = CONTEXT["@context"]
    assert {k: v for k, v in context.items() if isinstance(v, str)} == PREFIXES
    for relation in Relation:
        assert context[relation.value] == {"@id": f"gk:{relation.value}", "@type": "@id"}


def test_jsonld_export_parses_back_to_exactly_the_builds_triples(seeds_build, tmp_path):
    out_dir, _summary = seeds_build
    target = tmp_path / "graph.jsonld"
    result = CliRunner().invoke(main, ["-q", "export", str(out_dir), "--format", "jsonld",
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["@context"] == CONTEXT["@context"]  # embedded: reads offline
    parsed = Graph().parse(target, format="json-ld")
    expected = read_source_graph(out_dir)
    assert len(expected) > 300  # the seed article's graph (hundreds of triples), not an empty one
    assert set(parsed) == set(expected)


def test_jsonld_names_relations_by_their_short_terms(seeds_build, tmp_path):
    out_dir, _summary = seeds_build
    target = tmp_path / "g.jsonld"
    CliRunner().invoke(main, ["-q", "export", str(out_dir), "--format", "jsonld", "-o",
                              str(target)])
    nodes = {node["@id"]: node for node in json.loads(target.read_text())["@graph"]}
    # the seed article's headline tie: al-Qaeda allied with the Taliban, asserted
    assert "ent:taliban" in json.dumps(nodes["ent:al-qaeda"]["alliedWith"])


def test_jsonld_of_an_empty_source_warns_and_exits_3(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(empty), "--format", "jsonld", "-o",
                                       str(tmp_path / "e.jsonld")])
    assert result.exit_code == 3 and "empty network" in result.output
