"""The network stage: RDF statements → networkx → GEXF (networkx, graphology-gexf) and
HTML (headless Chromium, offline)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS

from graphkit.errors import InputError, OutputError
from graphkit.network import (
    CLASS_COLORS,
    RELATION_COLORS,
    add_layout_and_measures,
    edge_key,
    read_gexf,
    render_html,
    to_networkx,
    write_gexf,
    write_html,
)
from graphkit.network.style import PHYSICS_NODE_LIMIT, edge_color, hex_to_rgb
from graphkit.vocab import (
    DOCUMENT_BASE,
    ENT,
    GK,
    STATEMENT_BASE,
    WD,
    EntityType,
    Modality,
    Relation,
)

SCHEMA = Namespace("https://schema.org/")
EXTRACTION = URIRef("https://w3id.org/graphkit/extraction/graphkit-0.1.0")
JS_DIR = Path(__file__).resolve().parent / "js"
PAYLOAD = ('Officials said <script>window.__pwned=1</script> the '
           '<img src=x onerror="window.__pwned=1"> cell had merged.')

# --- fixture: RDF shaped as in docs/decisions/0001-statement-model.md -----------------

ENTITIES: dict[str, dict[str, Any]] = {
    "northern-front": {"label": "Northern Liberation Front", "type": EntityType.MILITANT_GROUP,
                       "aliases": ["NLF", "the Front"], "minted": True},
    "sahel-brigade": {"label": "Sahel Brigade", "type": EntityType.MILITANT_GROUP,
                      "qid": "Q4115189"},
    "aravia": {"label": "Republic of Aravia", "type": EntityType.STATE, "qid": "Q2013"},
    "karim-dossa": {"label": "Karim Dossa", "type": EntityType.PERSON, "minted": True},
    "tessalit-valley": {"label": "Tessalit Valley", "type": EntityType.LOCATION},
}

DOCUMENTS: dict[str, dict[str, str]] = {
    "reports/001.txt": {"title": "Front and Brigade sign pact", "date": "2014-03-02",
                        "url": "https://news.example/001"},
    "reports/002.txt": {"title": "Brigade renews its alliance", "date": "2016-07-19"},
    "reports/003.txt": {"title": "Denials and feuds in the north", "date": "2019-01-05"},
}

# (subject, relation, object, modality, confidence, year, sentence, document)
CLAIMS: list[tuple[str, Relation, str, Modality, float, int | None, str, str]] = [
    ("northern-front", Relation.ALLIED_WITH, "sahel-brigade", Modality.ASSERTED, 0.9, 2014,
     "The Northern Liberation Front sealed an alliance with the Sahel Brigade in March.",
     "reports/001.txt"),
    ("sahel-brigade", Relation.ALLIED_WITH, "northern-front", Modality.ASSERTED, 0.7, 2016,
     "The Sahel Brigade said its alliance with the NLF remained in force.",
     "reports/002.txt"),
    ("northern-front", Relation.ALLIED_WITH, "sahel-brigade", Modality.NEGATED, 0.6, 2018,
     "A Front spokesman denied that the group was still allied with the Sahel Brigade.",
     "reports/003.txt"),
    ("northern-front", Relation.RIVAL_OF, "sahel-brigade", Modality.ASSERTED, 0.8, 2019,
     "By 2019 the Front had become a bitter rival of the Sahel Brigade.",
     "reports/003.txt"),
    ("karim-dossa", Relation.LEADER_OF, "northern-front", Modality.ASSERTED, 0.95, 2015,
     "Karim Dossa has led the Northern Liberation Front since 2015.", "reports/001.txt"),
    ("aravia", Relation.SUPPORTS, "sahel-brigade", Modality.HYPOTHETICAL, 0.5, None,
     "Aravia may be quietly arming the Sahel Brigade, analysts suspect.", "reports/002.txt"),
    ("northern-front", Relation.OPERATES_IN, "tessalit-valley", Modality.ASSERTED, 0.85, 2014,
     "Fighters of the Front patrol the Tessalit Valley.", "reports/001.txt"),
]


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def statement_graph(claims: list[tuple] = CLAIMS, entities: dict = ENTITIES,
                    documents: dict = DOCUMENTS, reverse: bool = False) -> Graph:
    """An rdflib graph in the decision record's shape; ``reverse`` adds triples in the
    opposite order (the result must not depend on it)."""
    triples: list[tuple] = []
    for eid, e in entities.items():
        node = ENT[eid]
        triples += [(node, RDF.type, e["type"].iri), (node, SKOS.prefLabel, Literal(e["label"]))]
        triples += [(node, SKOS.altLabel, Literal(a)) for a in e.get("aliases", ())]
        if e.get("qid"):
            triples.append((node, OWL.sameAs, WD[e["qid"]]))
        if e.get("minted"):
            triples.append((node, GK.minted, Literal(True)))
    for doc_id, d in documents.items():
        node = URIRef(DOCUMENT_BASE + _hash(doc_id))
        triples += [(node, RDF.type, GK.Document), (node, RDF.type, PROV.Entity),
                    (node, GK.documentId, Literal(doc_id)),
                    (node, DCTERMS.title, Literal(d["title"])),
                    (node, DCTERMS.date, Literal(d["date"]))]
        if d.get("url"):
            triples.append((node, SCHEMA.url, Literal(d["url"])))
    for s, rel, o, mod, conf, year, sentence, doc_id in claims:
        st = URIRef(STATEMENT_BASE + _hash(doc_id, rel.value, s, o, sentence, mod.value))
        triples += [(st, RDF.type, GK.Statement), (st, RDF.subject, ENT[s]),
                    (st, RDF.predicate, rel.iri), (st, RDF.object, ENT[o]),
                    (st, GK.modality, Literal(mod.value)),
                    (st, GK.confidence, Literal(Decimal(str(conf)))),
                    (st, GK.evidence, Literal(sentence)),
                    (st, GK.startOffset, Literal(0)), (st, GK.endOffset, Literal(len(sentence))),
                    (st, PROV.wasDerivedFrom, URIRef(DOCUMENT_BASE + _hash(doc_id))),
                    (st, PROV.wasGeneratedBy, EXTRACTION)]
        if year is not None:
            triples.append((st, GK.year, Literal(year)))
        if mod is Modality.ASSERTED:
            triples.append((ENT[s], rel.iri, ENT[o]))
    g = Graph()
    for t in reversed(triples) if reverse else triples:
        g.add(t)
    return g


def xss_graph() -> Graph:
    """Two entities, one claim whose quote and document title carry markup."""
    entities = {"cell-a": {"label": "Cell <A>", "type": EntityType.MILITANT_GROUP},
                "cell-b": {"label": "Cell B", "type": EntityType.MILITANT_GROUP}}
    docs = {"x/1.txt": {"title": 'Leak <img src=x onerror="window.__pwned=1">',
                        "date": "2020-01-01", "url": "javascript:window.__pwned=1"}}
    claims = [("cell-a", Relation.MERGED_INTO, "cell-b", Modality.ASSERTED, 0.8, 2020,
               PAYLOAD, "x/1.txt")]
    return statement_graph(claims, entities, docs)


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    return to_networkx(statement_graph())


def edge(G: nx.MultiDiGraph, s: str, rel: Relation, o: str, mod: Modality) -> dict[str, Any]:
    return G.edges[str(ENT[s]), str(ENT[o]), edge_key(rel.value, mod.value)]


# --- to_networkx ------------------------------------------------------------------------

def test_parallel_edges_between_one_pair_stay_separate_per_relation_and_modality(network):
    keys = sorted(network[str(ENT["northern-front"])][str(ENT["sahel-brigade"])])
    assert keys == ["alliedWith|asserted", "alliedWith|negated", "rivalOf|asserted"]


def test_symmetric_relation_stated_both_ways_supports_one_edge(network):
    e = edge(network, "northern-front", Relation.ALLIED_WITH, "sahel-brigade", Modality.ASSERTED)
    assert not network.has_edge(str(ENT["sahel-brigade"]), str(ENT["northern-front"]))
    assert (e["weight"], e["documents"]) == (2, 2)
    assert (e["first_year"], e["last_year"]) == (2014, 2016)
    assert e["confidence"] == 0.9  # the maximum, not the mean (0.8)
    assert [ev["doc"] for ev in e["evidence"]] == ["reports/001.txt", "reports/002.txt"]


def test_weight_counts_statements_and_documents_counts_distinct_documents():
    twice = CLAIMS[:1] + [CLAIMS[0][:6] + ("Another sentence of the same report.",
                                           "reports/001.txt")]
    e = edge(to_networkx(statement_graph(twice)), "northern-front", Relation.ALLIED_WITH,
             "sahel-brigade", Modality.ASSERTED)
    assert (e["weight"], e["documents"]) == (2, 1)


def test_every_modality_is_kept_by_default_and_marked(network):
    assert {d["modality"] for _, _, d in network.edges(data=True)} == {
        "asserted", "negated", "hypothetical"}
    assert network.number_of_edges() == 6


def test_modalities_filter_keeps_only_those_statements_and_their_entities():
    G = to_networkx(statement_graph(), modalities=(Modality.ASSERTED,))
    assert {d["modality"] for _, _, d in G.edges(data=True)} == {"asserted"}
    assert str(ENT["aravia"]) not in G  # only a hypothetical claim mentions it
    assert to_networkx(statement_graph(), modalities="negated").number_of_edges() == 1


def test_unknown_modality_filter_is_an_input_error():
    with pytest.raises(InputError, match="unknown modality"):
        to_networkx(statement_graph(), modalities=["rumoured"])


def test_statement_with_a_foreign_predicate_is_an_input_error():
    g = statement_graph(CLAIMS[:1])
    st = next(g.subjects(RDF.type, GK.Statement))
    g.set((st, RDF.predicate, URIRef("https://example.org/vocab#friendsWith")))
    with pytest.raises(InputError, match="not a graphkit relation"):
        to_networkx(g)


def test_statement_without_object_is_an_input_error():
    g = statement_graph(CLAIMS[:1])
    g.remove((None, RDF.object, None))
    with pytest.raises(InputError, match="rdf:object"):
        to_networkx(g)


def test_nodes_carry_label_class_aliases_qid_and_minted(network):
    front = network.nodes[str(ENT["northern-front"])]
    assert {k: front[k] for k in ("label", "class", "aliases", "minted")} == {
        "label": "Northern Liberation Front", "class": "MilitantGroup",
        "aliases": ["NLF", "the Front"], "minted": True}
    assert "qid" not in front
    brigade = network.nodes[str(ENT["sahel-brigade"])]
    assert (brigade["qid"], brigade["minted"], brigade["aliases"]) == ("Q4115189", False, [])
    assert network.nodes[str(ENT["karim-dossa"])]["class"] == "Person"


def test_evidence_carries_sentence_document_and_provenance(network):
    e = edge(network, "karim-dossa", Relation.LEADER_OF, "northern-front", Modality.ASSERTED)
    ev = e["evidence"][0]
    assert ev["sentence"] == CLAIMS[4][6]
    assert (ev["doc"], ev["title"], ev["date"]) == (
        "reports/001.txt", "Front and Brigade sign pact", "2014-03-02")
    assert (ev["url"], ev["confidence"], ev["year"]) == ("https://news.example/001", 0.95, 2015)
    assert ev["statement"].startswith(STATEMENT_BASE)


def test_edge_without_year_has_no_year_attributes(network):
    e = edge(network, "aravia", Relation.SUPPORTS, "sahel-brigade", Modality.HYPOTHETICAL)
    assert "first_year" not in e and "last_year" not in e
    assert "year" not in e["evidence"][0]


def test_result_does_not_depend_on_triple_order():
    a, b = to_networkx(statement_graph()), to_networkx(statement_graph(reverse=True))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_reads_the_graph_the_rdf_stage_builds():
    from graphkit.model import Document, Entity, Evidence, Statement
    from graphkit.rdf import statements_to_graph

    a = Entity("river-band", "River Band", EntityType.MILITANT_GROUP, aliases=("RB",),
               qid="Q98765")
    b = Entity("hill-men", "Hill Men", EntityType.MILITANT_GROUP, minted=True)
    first = "The River Band and the Hill Men became allies in 2011."
    second = "The Hill Men, allies of the River Band, raided a depot."
    statements = [
        Statement(a, Relation.ALLIED_WITH, b, Modality.ASSERTED, 0.8, 2011,
                  Evidence("r/1.txt", first, 0, len(first))),
        Statement(b, Relation.ALLIED_WITH, a, Modality.ASSERTED, 0.6, 2012,
                  Evidence("r/2.txt", second, 0, len(second))),
    ]
    docs = [Document("r/1.txt", first, title="Pact in the hills", date="2011-05-01",
                     url="https://news.example/r1"),
            Document("r/2.txt", second, title="Depot raid")]
    G = to_networkx(statements_to_graph(statements, docs))
    (u, v, d), = G.edges(data=True)
    assert (G.nodes[u]["label"], G.nodes[v]["label"]) == ("Hill Men", "River Band")
    assert (d["weight"], d["documents"], d["confidence"]) == (2, 2, 0.8)
    assert (d["first_year"], d["last_year"]) == (2011, 2012)
    assert d["evidence"][0]["title"] == "Pact in the hills"
    assert d["evidence"][0]["url"] == "https://news.example/r1"
    assert G.nodes[v]["qid"] == "Q98765" and G.nodes[v]["aliases"] == ["RB"]
    assert G.nodes[u]["minted"] is True


# --- GEXF --------------------------------------------------------------------------------

def test_gexf_round_trips_through_networkx_with_attributes(network, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(network, path)
    back = read_gexf(path)
    assert back.is_multigraph() and back.is_directed()
    assert (back.number_of_nodes(), back.number_of_edges()) == (5, 6)
    front = back.nodes[str(ENT["northern-front"])]
    assert (front["label"], front["class"], front["aliases"]) == (
        "Northern Liberation Front", "MilitantGroup", "NLF; the Front")
    assert (front["degree"], front["minted"]) == (5, True)
    assert back.nodes[str(ENT["sahel-brigade"])]["qid"] == "Q4115189"
    assert front["viz"]["color"] == dict(zip("rgb", hex_to_rgb(
        CLASS_COLORS[EntityType.MILITANT_GROUP]), strict=True)) | {"a": 1.0}
    pair = back[str(ENT["northern-front"])][str(ENT["sahel-brigade"])]
    allied = pair["alliedWith|asserted"]
    assert (allied["relation"], allied["modality"]) == ("alliedWith", "asserted")
    assert allied["weight"] == 2
    assert (allied["confidence"], allied["documents"]) == (0.9, 2)
    assert (allied["first_year"], allied["last_year"]) == (2014, 2016)
    assert pair["alliedWith|negated"]["label"] == "allied with (negated)"


def test_gexf_edges_carry_relation_colours_and_thickness(network, tmp_path):
    # networkx's reader ignores edge viz, so read the XML itself.
    write_gexf(network, tmp_path / "g.gexf")
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}
    root = ElementTree.parse(tmp_path / "g.gexf").getroot()
    rival = next(e for e in root.iterfind(".//g:edge", ns) if e.get("label") == "rival of")
    color = rival.find("viz:color", ns)
    assert color is not None and rival.find("viz:thickness", ns) is not None
    assert tuple(int(color.get(c)) for c in "rgb") == hex_to_rgb(
        RELATION_COLORS[Relation.RIVAL_OF])


def test_gexf_symmetric_ties_are_undirected_edges_and_no_internal_key_is_written(
        network, tmp_path):
    write_gexf(network, tmp_path / "g.gexf")
    root = ElementTree.parse(tmp_path / "g.gexf").getroot()
    ns = {"g": "http://gexf.net/1.3"}
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("defaultedgetype") == "directed"
    types = sorted((e.get("label"), e.get("type", "directed"))
                   for e in root.iterfind(".//g:edge", ns))
    # allied with, rival of read the same both ways; leading, supporting, operating do not.
    assert types == [("allied with", "undirected"), ("allied with (negated)", "undirected"),
                     ("leader of", "directed"), ("operates in", "directed"),
                     ("rival of", "undirected"), ("supports (hypothetical)", "directed")]
    titles = [a.get("title") for a in root.iterfind(".//g:attribute", ns)]
    assert "networkx_key" not in titles and "networkx_key" not in (
        tmp_path / "g.gexf").read_text(encoding="utf-8")
    back = read_gexf(tmp_path / "g.gexf")
    assert back.edges[str(ENT["northern-front"]), str(ENT["sahel-brigade"]),
                      "rivalOf|asserted"]["directed"] is False
    assert back.edges[str(ENT["karim-dossa"]), str(ENT["northern-front"]),
                      "leaderOf|asserted"]["directed"] is True


def test_read_gexf_reports_a_file_it_cannot_read(tmp_path):
    path = tmp_path / "broken.gexf"
    path.write_text("<gexf><graph>", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read GEXF"):
        read_gexf(path)


def test_gexf_is_static_and_has_no_run_dependent_date(network, tmp_path):
    write_gexf(network, tmp_path / "a.gexf")
    text = (tmp_path / "a.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and "lastmodifieddate" not in text
    assert "<spells" not in text and 'mode="dynamic"' not in text
    write_gexf(to_networkx(statement_graph(reverse=True)), tmp_path / "b.gexf")
    assert (tmp_path / "b.gexf").read_bytes() == (tmp_path / "a.gexf").read_bytes()


def test_gexf_into_unwritable_place_is_an_output_error(network, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError):
        write_gexf(network, blocker / "g.gexf")


def read_with_graphology(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: cannot run the graphology-gexf parser")
    if not (JS_DIR / "node_modules" / "graphology-gexf").is_dir():
        pytest.skip("graphology-gexf is not installed: run `make test-deps`")
    proc = subprocess.run([node, str(JS_DIR / "read_gexf.mjs"), str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_gexf_parses_in_graphology_gexf_as_gephi_lite_does(network, tmp_path):
    path = tmp_path / "g.gexf"
    write_gexf(network, path)
    parsed = read_with_graphology(path)
    assert (parsed["order"], parsed["size"], parsed["multi"]) == (5, 6, True)
    assert parsed["type"] == "mixed"  # directed, with undirected symmetric ties
    nodes = {n["key"]: n["attributes"] for n in parsed["nodes"]}
    front = nodes[str(ENT["northern-front"])]
    assert (front["label"], front["class"], front["degree"]) == (
        "Northern Liberation Front", "MilitantGroup", 5)
    assert front["color"] == "rgba({},{},{},1.0)".format(
        *hex_to_rgb(CLASS_COLORS[EntityType.MILITANT_GROUP]))
    assert isinstance(front["x"], float | int) and front["size"] > 0
    edges = [e["attributes"] for e in parsed["edges"]
             if e["source"] == str(ENT["northern-front"])
             and e["target"] == str(ENT["sahel-brigade"])]
    assert sorted((e["relation"], e["modality"]) for e in edges) == [
        ("alliedWith", "asserted"), ("alliedWith", "negated"), ("rivalOf", "asserted")]
    assert all(e["undirected"] for e in parsed["edges"]
               if e["attributes"]["relation"] in ("alliedWith", "rivalOf"))
    negated = next(e for e in edges if e["modality"] == "negated")
    assert negated["color"] == "rgba({},{},{},1.0)".format(
        *hex_to_rgb(edge_color("alliedWith", "negated")))
    assert (negated["weight"], negated["first_year"], negated["confidence"]) == (1, 2018, 0.6)


def test_graphology_reader_reports_a_broken_file(tmp_path):
    path = tmp_path / "broken.gexf"
    path.write_text('<gexf><graph><nodes/><edges><edge id="0" source="a" target="b"/>'
                    "</edges></graph></gexf>", encoding="utf-8")
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "graphology-gexf").is_dir():
        pytest.skip("graphology-gexf is not installed: run `make test-deps`")
    proc = subprocess.run([node, str(JS_DIR / "read_gexf.mjs"), str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "inexisting node" in proc.stderr


# --- HTML: static checks -----------------------------------------------------------------

REMOTE_LOAD = re.compile(
    r"<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE)


def test_html_loads_nothing_remote_and_writes_no_lib_folder(network, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "view.html"
    write_html(network, out, title="Test network")
    page = out.read_text(encoding="utf-8")
    assert REMOTE_LOAD.search(page) is None
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b[^>]*\bhref\s*=", page, re.IGNORECASE)
    assert not re.search(r"url\(\s*[\"']?https?:", page, re.IGNORECASE)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "view.html"]
    assert "<title>Test network</title>" in page


def test_html_escapes_document_text(tmp_path):
    out = tmp_path / "view.html"
    write_html(to_networkx(xss_graph()), out, title="<b>Title</b>")
    page = out.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page and "Cell <A>" not in page
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in page
    assert "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in page


def test_html_is_identical_run_to_run(network, tmp_path):
    write_html(network, tmp_path / "a.html")
    write_html(to_networkx(statement_graph(reverse=True)), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def page_data(page: str) -> dict[str, Any]:
    """The JSON document the page script reads."""
    match = re.search(r'<script type="application/json" id="gk-data">(.*?)</script>', page,
                      re.DOTALL)
    assert match, "no data in the page"
    return json.loads(match.group(1))


def test_html_edges_styled_by_relation_modality_and_support(network):
    edges = page_data(render_html(network))["edges"]
    by_label = {e["label"]: e for e in edges}
    allied, denied = by_label["allied with"], by_label["allied with (negated)"]
    assert (allied["color"], allied["dashes"]) == (
        RELATION_COLORS[Relation.ALLIED_WITH], False)
    assert denied["dashes"] is True and denied["color"] == edge_color("alliedWith", "negated")
    assert by_label["supports (hypothetical)"]["dashes"] is True
    assert allied["width"] > by_label["rival of"]["width"]  # 2 statements against 1
    assert allied["arrows"]["to"]["enabled"] is False  # symmetric
    assert by_label["leader of"]["arrows"]["to"]["enabled"] is True
    pair = [e for e in edges if {e["from"], e["to"]} == {
        str(ENT["northern-front"]), str(ENT["sahel-brigade"])}]
    assert len(pair) == 3 and len({e["smooth"]["roundness"] for e in pair}) == 3
    assert [ev["sentence"] for ev in allied["evidence"]] == [CLAIMS[0][6], CLAIMS[1][6]]
    assert "reports/001.txt" in allied["title"] and CLAIMS[0][6] in allied["title"]
    # A symmetric tie reads the same both ways, a directed one does not.
    assert allied["title"].startswith("Northern Liberation Front — allied with — Sahel")
    assert by_label["leader of"]["title"].startswith("Karim Dossa → leader of → Northern")
    assert (allied["statements"], allied["documents"], allied["sources"]) == (2, 2, 2)
    assert (allied["first_year"], allied["last_year"], allied["confidence"]) == (2014, 2016, 0.9)


def test_html_nodes_carry_class_colour_python_positions_and_measures(network):
    data = page_data(render_html(network))
    person = next(n for n in data["nodes"] if n["label"] == "Karim Dossa")
    assert person["color"] == CLASS_COLORS[EntityType.PERSON]
    assert (person["x"], person["y"]) == (network.nodes[person["id"]]["x"],
                                          network.nodes[person["id"]]["y"])
    front = next(n for n in data["nodes"] if n["label"] == "Northern Liberation Front")
    assert front["betweenness"] > 0 and front["degree"] == 5 and front["community"] == 0
    assert data["options"]["physics"]["enabled"] is True
    assert data["years"] == [2014, 2019] and data["maxSources"] == 2
    assert [r["id"] for r in data["relations"]] == [
        "alliedWith", "rivalOf", "supports", "leaderOf", "operatesIn"]


def test_html_turns_physics_off_for_large_graphs_and_can_be_forced():
    G = nx.MultiDiGraph()
    for i in range(PHYSICS_NODE_LIMIT + 1):
        G.add_node(f"e:{i:03d}", label=f"Group {i}", **{"class": "MilitantGroup"})
    assert page_data(render_html(G))["options"]["physics"]["enabled"] is False
    assert page_data(render_html(G, physics=True))["options"]["physics"]["enabled"] is True


def test_html_only_a_valid_qid_reaches_the_page():
    G = nx.MultiDiGraph()
    G.add_node("e:a", label="A", qid="Q42")
    G.add_node("e:b", label="B", qid='Q1" onclick="x')
    nodes = {n["id"]: n for n in page_data(render_html(G))["nodes"]}
    assert nodes["e:a"]["qid"] == "Q42" and "qid" not in nodes["e:b"]


def test_html_json_cannot_close_its_script_element():
    page = render_html(to_networkx(xss_graph()))
    data_block = page.split('id="gk-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block and ">" not in data_block
    assert page_data(page)["edges"][0]["evidence"][0]["sentence"] == PAYLOAD


def test_html_into_unwritable_place_is_an_output_error(network, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError):
        write_html(network, blocker / "view.html")


# --- HTML: rendered in headless Chromium --------------------------------------------------

PROBE = JS_DIR / "html_probe.js"


def render_in_chromium(page: Path, tmp_path: Path,
                       probe_js: Path = PROBE) -> tuple[str, dict[str, Any]]:
    """Load ``page`` plus a probe in headless Chromium with no network at all."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not on PATH: run `make test-deps` (installs it as root)")
    text = page.read_text(encoding="utf-8")
    cut = text.rfind("</body>")
    probed = page.with_name("probed.html")
    probe = f"<script>\n{probe_js.read_text(encoding='utf-8')}</script>\n"
    probed.write_text(text[:cut] + probe + text[cut:], encoding="utf-8")
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}",
           # Any request leaving the machine would go to a dead proxy and fail.
           "--proxy-server=127.0.0.1:9", "--window-size=1280,900",
           "--virtual-time-budget=8000", "--dump-dom", probed.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    found = re.search(r'<pre id="gk-test-result">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe wrote no result: the page's scripts did not run\n" + dom[-2000:]
    return dom, json.loads(html.unescape(found.group(1)))


def test_html_renders_offline_in_chromium_with_every_entity(network, tmp_path):
    out = tmp_path / "view.html"
    write_html(network, out)
    dom, seen = render_in_chromium(out, tmp_path)
    assert seen["canvas"] == 1 and 'class="vis-network"' in dom
    assert sorted(seen["labels"]) == sorted(e["label"] for e in ENTITIES.values())
    assert seen["arrows"] == {"allied with": False, "allied with (negated)": False,
                              "rival of": False, "leader of": True, "operates in": True,
                              "supports (hypothetical)": True}
    for name in ("MilitantGroup", "Person", "State", "Location", "allied with", "rival of",
                 "negated (dashed)", "hypothetical (dashed)"):
        assert name in seen["legend"]
    assert seen["hovered"] and seen["tooltipVisible"] == "visible"


def edge_ids(network: nx.MultiDiGraph, wanted: list[tuple]) -> list[str]:
    """The page ids (e0, e1, ...) of edges given as (subject, relation, object, modality)."""
    ordered = sorted(network.edges(keys=True), key=lambda e: (e[0], e[1], e[2]))
    ids = {(u, v, k): f"e{i}" for i, (u, v, k) in enumerate(ordered)}
    return sorted(ids[str(ENT[s]), str(ENT[o]), edge_key(r.value, m.value)]
                  for s, r, o, m in wanted)


A, N, H = Modality.ASSERTED, Modality.NEGATED, Modality.HYPOTHETICAL
ALLIED = ("northern-front", Relation.ALLIED_WITH, "sahel-brigade", A)
RIVAL = ("northern-front", Relation.RIVAL_OF, "sahel-brigade", A)
LEADS = ("karim-dossa", Relation.LEADER_OF, "northern-front", A)
OPERATES = ("northern-front", Relation.OPERATES_IN, "tessalit-valley", A)
DENIED = ("northern-front", Relation.ALLIED_WITH, "sahel-brigade", N)
ARMS = ("aravia", Relation.SUPPORTS, "sahel-brigade", H)


@pytest.fixture(scope="module")
def probed(network, tmp_path_factory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("probe")
    write_html(network, tmp / "view.html")
    return render_in_chromium(tmp / "view.html", tmp)[1]


def test_filters_act_live_in_chromium(network, probed):
    steps = probed["steps"]
    assert steps["initial"]["edgeIds"] == edge_ids(network, [ALLIED, RIVAL, LEADS, OPERATES])
    assert probed["hiddenOnCanvas"] == 2  # denial and rumour start hidden
    assert "4 of 5 entities" in steps["initial"]["status"]
    assert "1 entities hidden" in steps["initial"]["status"]  # Aravia, explained
    assert steps["allModalities"]["edges"] == 6 and probed["dashed"] == 2
    assert steps["minConfidence"]["edgeIds"] == edge_ids(network, [ALLIED, LEADS, OPERATES])
    assert steps["lastYear"]["edgeIds"] == edge_ids(network, [RIVAL])
    assert steps["noAlliances"]["edgeIds"] == edge_ids(network, [RIVAL, LEADS, OPERATES])
    assert steps["noPersons"]["edgeIds"] == edge_ids(network, [ALLIED, RIVAL, OPERATES])
    assert steps["twoSources"]["edgeIds"] == edge_ids(network, [ALLIED])
    assert steps["reset"] == steps["initial"]


def test_legend_checkboxes_carry_the_relation_colours(probed):
    swatches = dict(probed["swatches"])
    r, g, b = hex_to_rgb(RELATION_COLORS[Relation.RIVAL_OF])
    assert swatches["rival of (1)"] == f"rgb({r}, {g}, {b})"


def test_search_finds_an_alias_and_fades_the_rest_in_chromium(probed):
    found = probed["search"]
    assert found["alias"] == "NLF" and found["selected"] == [found["wanted"]]
    assert "Northern Liberation Front" in found["panel"]
    assert "also: NLF; the Front" in found["panel"]
    assert found["headings"] == ["allied with (1)", "rival of (1)", "leader of (1)",
                                 "operates in (1)"]
    assert "1 more tie hidden by the filters" in found["panel"]
    assert found["faded"] == 1 and found["fadedEdges"] == 2  # Aravia; denial and rumour
    assert probed["fadedAfterHide"] == 0


def test_node_panel_links_a_validated_qid_to_wikidata(probed):
    assert probed["nodeLinks"] == ["https://www.wikidata.org/wiki/Q2013"]


def test_edge_panel_lists_every_statement_with_mentions_highlighted(probed):
    edge = probed["edge"]
    assert edge["shown"] and edge["quotes"] == 2
    assert edge["marks"] == ["Northern Liberation Front", "Sahel Brigade", "Sahel Brigade", "NLF"]
    assert "Front and Brigade sign pact" in probed["panel"]
    assert "2014-03-02" in probed["panel"] and "confidence 0.7" in probed["panel"]
    assert probed["links"] == ["https://news.example/001"]


def test_quoted_markup_shows_as_text_and_runs_nothing_in_chromium(tmp_path):
    out = tmp_path / "view.html"
    # Physics off: nodes that still settle would move away from the probe's hover point.
    write_html(to_networkx(xss_graph()), out, title='<img src=x onerror="window.__pwned=1">',
               physics=False)
    _, seen = render_in_chromium(out, tmp_path)
    assert seen["control"] is True, "markup inserted as HTML did not run: check is void"
    assert seen["pwned"] is False
    assert "Cell <A>" in seen["labels"]
    assert PAYLOAD in seen["panel"] and '<img src=x onerror="window.__pwned=1">' in seen["panel"]
    assert seen["panelMarkup"] == 0 and seen["links"] == []  # javascript: URL stays text
    assert "javascript:window.__pwned=1" in seen["panel"]
    assert seen["hovered"] and seen["tooltipVisible"] == "visible"
    assert PAYLOAD in seen["tooltip"] and seen["tooltipMarkup"] == 0


# --- HTML: readable when crowded (headless Chromium) ---------------------------------------

CROWD_CORE, CROWD_CHAIN = 74, 6
VIEW_PROBE = JS_DIR / "view_probe.js"


def crowd_graph() -> nx.MultiDiGraph:
    """80 entities: a preferential-attachment core (alliances; every fourth entity a
    person leading a group) and, apart from it, six groups each merged into the next."""
    core = nx.barabasi_albert_graph(CROWD_CORE, 2, seed=5)
    G = nx.MultiDiGraph()
    for i in range(CROWD_CORE + CROWD_CHAIN):
        person = i < CROWD_CORE and i % 4 == 3
        G.add_node(f"e:{i:03d}", label=f"Liberation Front number {i}", aliases=[],
                   **{"class": "Person" if person else "MilitantGroup"})

    def tie(u: int, v: int, relation: Relation) -> None:
        G.add_edge(f"e:{u:03d}", f"e:{v:03d}", key=edge_key(relation.value, "asserted"),
                   relation=relation.value, modality="asserted", weight=1, documents=1,
                   confidence=0.9, evidence=[])

    for u, v in core.edges():
        u, v = sorted((u, v), key=lambda i: (i % 4 != 3, i))  # a person comes first
        tie(u, v, Relation.LEADER_OF if u % 4 == 3 else Relation.ALLIED_WITH)
    for i in range(CROWD_CORE, CROWD_CORE + CROWD_CHAIN - 1):
        tie(i, i + 1, Relation.MERGED_INTO)
    return add_layout_and_measures(G)


@pytest.fixture(scope="module")
def crowd(tmp_path_factory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("crowd")
    write_html(crowd_graph(), tmp / "view.html", physics=False)
    return render_in_chromium(tmp / "view.html", tmp, VIEW_PROBE)[1]


def overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[:i])
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_labels_stay_13px_on_screen_and_never_overlap_at_any_zoom(crowd):
    for view in (crowd["defaultZoom"], crowd["zoomedIn"]):
        assert view["count"] > 0 and set(view["px"]) == {13}
        assert overlapping(view["boxes"]) == []


def test_the_most_connected_entities_are_labelled_first_and_more_on_zooming_in(crowd):
    G = crowd_graph()
    default, zoomed = crowd["defaultZoom"], crowd["zoomedIn"]
    # The hub is named; the others named are better connected than the average entity
    # (hubs sit close together in the core, so not every one of them has room).
    assert max(G.nodes, key=G.degree) == default["ids"][0] == "e:004"
    mean = 2 * G.number_of_edges() / G.number_of_nodes()
    assert sum(G.degree(n) for n in default["ids"]) / default["count"] > mean
    # 80 labels of 25 characters do not fit beside each other at the default zoom.
    assert 10 <= default["count"] < CROWD_CORE + CROWD_CHAIN
    assert zoomed["count"] / zoomed["inView"] > default["count"] / default["inView"]


def test_the_view_refits_to_what_a_filter_leaves(crowd):
    box, canvas = crowd["afterFilter"], crowd["canvas"]
    assert box["n"] == CROWD_CHAIN
    assert box["x0"] >= 0 and box["x1"] <= canvas["width"]
    assert box["y0"] >= 0 and box["y1"] <= canvas["height"]
    # The six groups fill the canvas one way or the other (fit leaves a margin); in the
    # view of all 80 they spanned less than half its height.
    assert max((box["x1"] - box["x0"]) / canvas["width"],
               (box["y1"] - box["y0"]) / canvas["height"]) > 0.7


def test_legend_counts_what_the_filters_show(crowd):
    assert crowd["relationCounts"] == {"alliedWith": 0, "leaderOf": 0, "mergedInto": 5}
    assert crowd["classCounts"] == {"MilitantGroup": 6, "Person": 0}


def test_the_panel_never_covers_the_selection(crowd):
    panel, canvas = crowd["panel"], crowd["canvas"]

    def under_panel(x: float, y: float) -> bool:
        return panel["left"] <= x <= panel["right"] and panel["top"] <= y <= panel["bottom"]

    assert under_panel(*crowd["before"][crowd["rightmost"]])  # where it was
    assert len(crowd["neighbourhood"]) > 1
    for points in (crowd["neighbourhood"], crowd["edgeEnds"]):
        for x, y in points.values():
            assert not under_panel(x, y)
            assert canvas["left"] <= x <= canvas["left"] + canvas["width"]
            assert canvas["top"] <= y <= canvas["top"] + canvas["height"]


def test_the_hover_tooltip_goes_when_a_panel_opens_or_closes(crowd):
    assert crowd["tooltipOnHover"] == "visible" and crowd["tooltipAfterOpen"] == "hidden"
    assert crowd["tooltipHoverAgain"] == "visible" and crowd["tooltipAfterClose"] == "hidden"
