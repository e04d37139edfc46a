"""Exploring the network: analytics, GraphML/CSV/dynamic GEXF exports, and the
``viz``, ``export`` and ``stats`` commands."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal
from rdflib.namespace import RDF

from graphkit.cli import main
from graphkit.errors import InputError
from graphkit.network import (
    analyse,
    export,
    read_gexf,
    read_network,
    report,
    to_networkx,
    write_csv,
    write_gexf,
    write_graphml,
)
from graphkit.vocab import ENT, GK
from tests.test_network import read_with_graphology, statement_graph

FRONT, BRIGADE, DOSSA = (str(ENT[n]) for n in ("northern-front", "sahel-brigade", "karim-dossa"))


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return to_networkx(statement_graph())


@pytest.fixture
def ttl(tmp_path: Path) -> Path:
    path = tmp_path / "graph.ttl"
    statement_graph().serialize(path, format="turtle")
    return path


# --- analytics ---------------------------------------------------------------------------

def blocs_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    ties = [("a1", "a2"), ("a2", "a3"), ("a3", "a1"), ("b1", "b2"), ("b2", "b3"),
            ("b3", "b1"), ("a3", "b1")]
    for u, v in ties:
        G.add_edge(u, v, relation="alliedWith", modality="asserted")
    G.add_edge("a1", "b2", relation="alliedWith", modality="negated")  # a denial: no tie
    G.add_edge("x", "y", relation="rivalOf", modality="asserted")
    return G


def test_blocs_are_louvain_communities_of_asserted_alliances_and_bridges_touch_two():
    result = analyse(blocs_graph())
    assert result.communities == [["a1", "a2", "a3"], ["b1", "b2", "b3"]]
    assert [(b.node, b.blocs) for b in result.bridges] == [("a3", (0, 1)), ("b1", (0, 1))]
    assert result.components == [["a1", "a2", "a3", "b1", "b2", "b3"], ["x", "y"]]
    attrs = result.node_attrs()
    assert attrs["x"]["community"] == -1 and attrs["a3"]["bridge"] is True


def test_brokers_rank_highest_in_betweenness_and_degree_counts_drawn_edges():
    result = analyse(blocs_graph())
    top = sorted(result.betweenness, key=lambda n: -result.betweenness[n])[:2]
    assert sorted(top) == ["a3", "b1"]
    assert result.degree["a1"] == 3  # two alliances and the drawn denial
    assert result.eigenvector_converged and result.eigenvector["a3"] > result.eigenvector["a2"]


def test_measures_on_a_graph_without_ties_are_zero():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", relation="alliedWith", modality="hypothetical")
    result = analyse(G)
    assert result.eigenvector == {"a": 0.0, "b": 0.0} and result.communities == []
    assert result.bridges == [] and len(result.components) == 2


def test_report_names_brokers_blocs_and_bridges(network):
    text = report(network)
    assert text.splitlines()[0] == "5 entities, 6 edges (3 asserted ties), 2 connected components"
    assert "Brokers (betweenness):" in text and "Northern Liberation Front" in text
    assert "Alliance blocs" in text and "bloc 0: 2" in text


def test_measures_and_positions_are_node_attributes(network):
    front = network.nodes[FRONT]
    assert front["betweenness"] == pytest.approx(0.5) and front["degree"] == 5
    assert front["community"] == network.nodes[BRIGADE]["community"] == 0
    assert network.nodes[DOSSA]["community"] == -1
    assert isinstance(front["x"], float) and isinstance(front["y"], float)


def test_aggregate_nodes_in_the_rdf_change_nothing():
    g = statement_graph()
    agg = BNode()
    for p, o in [(RDF.type, GK.Aggregate), (GK.aggregateSubject, ENT["northern-front"]),
                 (GK.aggregateRelation, GK.alliedWith), (GK.firstYear, Literal(1990)),
                 (GK.supportCount, Literal(99))]:
        g.add((agg, p, o))
    a, b = to_networkx(g), to_networkx(statement_graph())
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


# --- exports -----------------------------------------------------------------------------

def test_gexf_nodes_carry_centralities_in_networkx_and_graphology(network, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(network, path)
    back = read_gexf(path)
    front = back.nodes[FRONT]
    assert front["betweenness"] == pytest.approx(0.5) and front["community"] == 0
    assert front["viz"]["position"]["x"] == pytest.approx(network.nodes[FRONT]["x"])
    edge = back[FRONT][BRIGADE]["alliedWith|asserted"]
    assert (edge["statements"], edge["documents"], edge["sources"]) == (2, 2, 2)
    parsed = read_with_graphology(path)
    nodes = {n["key"]: n["attributes"] for n in parsed["nodes"]}
    assert nodes[FRONT]["eigenvector"] > 0 and nodes[FRONT]["bridge"] is False
    assert nodes[FRONT]["x"] == pytest.approx(network.nodes[FRONT]["x"])


def test_dynamic_gexf_writes_spells_that_networkx_reads(network, tmp_path):
    path = tmp_path / "d.gexf"
    write_gexf(network, path, dynamic=True)
    text = path.read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and "<spells>" in text
    back = read_gexf(path)
    assert back[FRONT][BRIGADE]["alliedWith|asserted"]["spells"] == [(2014, 2016)]
    assert back.nodes[FRONT]["spells"] == [(2014, 2019)]


def test_graphml_round_trips_with_parallel_edges_and_attributes(network, tmp_path):
    path = tmp_path / "g.graphml"
    write_graphml(network, path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (5, 6)
    assert back.is_directed() and len(back[FRONT][BRIGADE]) == 3
    assert back.nodes[FRONT]["aliases"] == "NLF; the Front"
    assert back.nodes[FRONT]["color"].startswith("#")
    rel = {d["relation"] for d in back[FRONT][BRIGADE].values()}
    assert rel == {"alliedWith", "rivalOf"}


def test_csv_lists_read_back_with_the_csv_module(network, tmp_path):
    write_csv(network, tmp_path)
    with open(tmp_path / "nodes.csv", newline="", encoding="utf-8") as fh:
        nodes = {row["id"]: row for row in csv.DictReader(fh)}
    with open(tmp_path / "edges.csv", newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == 5 and len(edges) == 6
    assert nodes[str(ENT["sahel-brigade"])]["qid"] == "Q4115189"
    assert float(nodes[FRONT]["betweenness"]) == pytest.approx(0.5)
    pair = [e for e in edges if (e["source"], e["target"]) == (FRONT, BRIGADE)]
    assert sorted((e["relation"], e["modality"]) for e in pair) == [
        ("alliedWith", "asserted"), ("alliedWith", "negated"), ("rivalOf", "asserted")]
    undated = next(e for e in edges if e["relation"] == "supports")
    assert undated["first_year"] == "" and undated["confidence"] == "0.5"


def test_csv_export_keeps_formula_like_labels_as_text(tmp_path):
    # Labels come from the articles read: "=HYPERLINK(...)" must not run in a spreadsheet.
    from graphkit.model import Entity, Evidence, Statement
    from graphkit.rdf import statements_to_graph
    from graphkit.vocab import EntityType, Modality, Relation

    names = ['=HYPERLINK("http://evil.example","x")', "+Brigade", "-Front", "@Cell"]
    ents = [Entity(f"e{i}", name, EntityType.MILITANT_GROUP) for i, name in enumerate(names)]
    sts = [Statement(ents[i], Relation.ALLIED_WITH, ents[i + 1], Modality.ASSERTED, 0.5, None,
                     Evidence("d", "They allied.", 0, 12)) for i in range(3)]
    source = tmp_path / "g.ttl"
    statements_to_graph(sts).serialize(source, format="turtle")
    result = CliRunner().invoke(main, ["-q", "export", str(source), "--format", "csv",
                                       "-o", str(tmp_path / "lists")])
    assert result.exit_code == 0, result.output
    with open(tmp_path / "lists" / "nodes.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(row["label"] for row in rows) == [
        "'+Brigade", "'-Front", "'=HYPERLINK(\"http://evil.example\",\"x\")", "'@Cell"]
    # Numbers stay numbers, negative positions included; only text is prefixed.
    assert all(not row["x"].startswith("'") for row in rows)
    assert any(float(row["x"]) < 0 for row in rows)


def test_csv_reads_with_pandas_when_installed(network, tmp_path):
    pd = pytest.importorskip("pandas")
    write_csv(network, tmp_path)
    edges = pd.read_csv(tmp_path / "edges.csv")
    assert len(edges) == 6 and edges["statements"].sum() == 7


def test_unknown_format_and_dynamic_non_gexf_are_input_errors(network, tmp_path):
    with pytest.raises(InputError, match="unknown export format"):
        export(network, tmp_path / "x", "dot")
    with pytest.raises(InputError, match="GEXF only"):
        export(network, tmp_path / "x", "csv", dynamic=True)


# --- reading sources and the commands ----------------------------------------------------

def test_read_network_takes_an_rdf_file_or_a_build_folder(ttl, tmp_path):
    assert read_network(ttl).number_of_edges() == 6
    assert read_network(ttl.parent).number_of_edges() == 6
    with pytest.raises(InputError, match="not a build folder"):
        read_network(tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else None)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read"):
        read_network(bad)


def test_viz_export_and_stats_commands(ttl, tmp_path):
    runner = CliRunner()
    html = tmp_path / "v.html"
    result = runner.invoke(main, ["-q", "viz", str(ttl), "-o", str(html), "--title", "T"])
    assert result.exit_code == 0, result.output
    assert "<title>T</title>" in html.read_text(encoding="utf-8")
    for fmt, out in (("gexf", "g.gexf"), ("graphml", "g.graphml"), ("csv", "lists")):
        result = runner.invoke(main, ["-q", "export", str(ttl), "--format", fmt,
                                      "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "lists" / "edges.csv").is_file()
    assert read_gexf(tmp_path / "g.gexf").number_of_edges() == 6
    result = runner.invoke(main, ["stats", str(ttl), "--top", "3"])
    assert result.exit_code == 0 and "Bridges between blocs" in result.output


def test_a_trig_source_gives_every_command_the_same_network_as_turtle(ttl, tmp_path):
    # statement_graph(): 5 entities, 6 edges (the Turtle test above). In graph.trig the
    # statements sit in one named graph per document; read as a dataset, merged, they
    # are the same 6 edges for viz, export and stats, as for query.
    from graphkit.rdf.dataset import write_trig

    trig = write_trig(statement_graph(), tmp_path / "graph.trig")
    network = read_network(trig)
    assert (network.number_of_nodes(), network.number_of_edges()) == (5, 6)
    runner = CliRunner()
    result = runner.invoke(main, ["viz", str(trig), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 0 and "5 entities, 6 edges" in result.output
    result = runner.invoke(main, ["-q", "export", str(trig), "-o", str(tmp_path / "t.gexf")])
    assert result.exit_code == 0 and read_gexf(tmp_path / "t.gexf").number_of_edges() == 6
    stats = runner.invoke(main, ["stats", str(trig)])
    assert stats.exit_code == 0 and stats.output == runner.invoke(
        main, ["stats", str(ttl)]).output
    query = runner.invoke(main, ["query", str(trig), "SELECT (COUNT(*) AS ?n) "
                                 "WHERE { ?st a gk:Statement }", "--format", "csv"])
    assert query.output.split() == ["n", "7"]


def test_an_empty_network_is_a_warning_and_exit_3(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://example.org/a> <https://example.org/p> 1 .\n",
                     encoding="utf-8")
    runner = CliRunner()
    for args in (["viz", str(empty), "-o", str(tmp_path / "v.html")],
                 ["export", str(empty), "-o", str(tmp_path / "e.gexf")],
                 ["stats", str(empty)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 3, (args, result.output)
        assert "warning: " in result.output and "empty network" in result.output


def test_commands_report_bad_sources_in_one_line(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    result = runner.invoke(main, ["stats", str(bad)])
    assert result.exit_code == 1 and "error: unknown RDF file type" in result.output
    result = runner.invoke(main, ["export", str(tmp_path), "--format", "csv", "--dynamic"])
    assert result.exit_code == 2 and "gexf only" in result.output
    assert runner.invoke(main, ["viz", str(tmp_path / "missing")]).exit_code == 2


def test_stats_of_the_seeds_build(seeds_build):
    out, _ = seeds_build
    result = CliRunner().invoke(main, ["stats", str(out)])
    assert result.exit_code == 0, result.output
    assert "Most connected (degree):" in result.output
