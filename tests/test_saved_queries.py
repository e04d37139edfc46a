"""Every saved query on one small hand-built graph, each against the answer worked out
by hand from the statements below (no extraction runs here).

The graph, by document:

- d1: Hamas allied with PIJ (2014, twice in one document: two statements); Hamas allied
  with Hezbollah (2016); Iran supports PIJ; Iran supports Hezbollah; Egypt negotiates
  with Hamas; Egypt negotiates with Fatah.
- d2: Hamas is not allied with Hezbollah (denial, 2016); Hamas rival of Fatah (2007).
- d3: Hamas allied with PIJ (2018); AQAP affiliate of al-Qaeda; AQIM affiliate of
  al-Qaeda; JNIM affiliate of AQIM; Real IRA splinter of Provisional IRA; Provisional
  IRA splinter of Official IRA; ONH splinter of Real IRA; Hezbollah allied with Amal.

Hamas has the labels "Hamas" and "HAMAS" (and "Islamic Resistance Movement"), so a name
matches two of its labels: the case that printed every evidence quote twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.corpus import enrich
from graphkit.model import Document, Entity, Evidence, Statement
from graphkit.rdf import run_query, statements_to_graph, write_build
from graphkit.rdf.saved import saved_queries, saved_query
from graphkit.vocab import GK, EntityType, Modality, Relation

G, S = EntityType.MILITANT_GROUP, EntityType.STATE
HAMAS = Entity("hamas", "Hamas", G, ("HAMAS", "Islamic Resistance Movement"))
PIJ = Entity("pij", "Palestinian Islamic Jihad", G, ("PIJ",))
HEZ = Entity("hezbollah", "Hezbollah", G)
AMAL = Entity("amal", "Amal", G)
FATAH = Entity("fatah", "Fatah", G)
IRAN, EGYPT = Entity("iran", "Iran", S), Entity("egypt", "Egypt", S)
AQ, AQAP = Entity("al-qaeda", "al-Qaeda", G), Entity("aqap", "AQAP", G)
AQIM, JNIM = Entity("aqim", "AQIM", G), Entity("jnim", "JNIM", G)
OIRA, PIRA = Entity("oira", "Official IRA", G), Entity("pira", "Provisional IRA", G)
RIRA, ONH = Entity("rira", "Real IRA", G), Entity("onh", "ONH", G)

A, N = Modality.ASSERTED, Modality.NEGATED
_TIES = [  # (doc, subject, relation, object, modality, year, sentence)
    ("d1", HAMAS, Relation.ALLIED_WITH, PIJ, A, 2014, "Hamas fought beside PIJ."),
    ("d1", HAMAS, Relation.ALLIED_WITH, PIJ, A, 2014, "HAMAS and PIJ shared a front."),
    ("d1", HAMAS, Relation.ALLIED_WITH, HEZ, A, 2016, "Hamas allied with Hezbollah."),
    ("d1", IRAN, Relation.SUPPORTS, PIJ, A, None, "Iran arms PIJ."),
    ("d1", IRAN, Relation.SUPPORTS, HEZ, A, None, "Iran arms Hezbollah."),
    ("d1", EGYPT, Relation.NEGOTIATES_WITH, HAMAS, A, None, "Egypt hosted Hamas."),
    ("d1", EGYPT, Relation.NEGOTIATES_WITH, FATAH, A, None, "Egypt hosted Fatah."),
    ("d2", HAMAS, Relation.ALLIED_WITH, HEZ, N, 2016, "Hamas is no ally of Hezbollah."),
    ("d2", HAMAS, Relation.RIVAL_OF, FATAH, A, 2007, "Hamas fought Fatah in Gaza."),
    ("d3", HAMAS, Relation.ALLIED_WITH, PIJ, A, 2018, "Hamas and PIJ formed a joint room."),
    ("d3", AQAP, Relation.AFFILIATE_OF, AQ, A, None, "AQAP is al-Qaeda's branch."),
    ("d3", AQIM, Relation.AFFILIATE_OF, AQ, A, None, "AQIM pledged to al-Qaeda."),
    ("d3", JNIM, Relation.AFFILIATE_OF, AQIM, A, None, "JNIM answers to AQIM."),
    ("d3", RIRA, Relation.SPLINTER_OF, PIRA, A, None, "The Real IRA split from the PIRA."),
    ("d3", PIRA, Relation.SPLINTER_OF, OIRA, A, None, "The PIRA split from the IRA."),
    ("d3", ONH, Relation.SPLINTER_OF, RIRA, A, None, "ONH split from the Real IRA."),
    ("d3", HEZ, Relation.ALLIED_WITH, AMAL, A, None, "Hezbollah allied with Amal."),
]


def _statements() -> list[Statement]:
    out, offset = [], 0
    for doc, s, rel, o, modality, year, sentence in _TIES:
        out.append(Statement(s, rel, o, modality, 0.8, year,
                             Evidence(doc, sentence, offset, offset + len(sentence))))
        offset += len(sentence) + 1
    return out


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("saved-queries")
    docs = [Document(d, f"text of {d}", source=f"source-{d}") for d in ("d1", "d2", "d3")]
    write_build(enrich(statements_to_graph(_statements(), docs)), out)
    return out


def _ask(kb: Path, name: str, **params: str) -> list[dict[str, str | None]]:
    saved = saved_query(name)
    assert saved is not None
    result = run_query(kb, saved.bind(params))
    return [{v: None if c is None else str(c) for v, c in zip(result.variables, row,
                                                                strict=True)}
            for row in result.rows]


def _pick(rows: list[dict[str, str | None]], *names: str) -> list[tuple[str | None, ...]]:
    return [tuple(row[n] for n in names) for row in rows]


def test_every_saved_query_has_a_test_here():
    tested = {"allies-of", "rivals-of", "affiliates-and-branches", "splinter-lineage",
              "two-hop-alliances", "brokers", "contradictions", "evidence-for",
              "as-of-year", "most-corroborated"}
    assert {q.name for q in saved_queries()} == tested


def test_allies_of_lists_each_ally_once_whichever_label_matches(kb):
    # Hamas–PIJ: 3 asserted statements in 2 documents (d1, d3), 2014–2018.
    # Hamas–Hezbollah: 1 asserted statement (d1); the denial in d2 is no support.
    rows = _ask(kb, "allies-of", group="hamas")
    assert _pick(rows, "allyLabel", "statements", "documents", "firstYear", "lastYear") == [
        ("Palestinian Islamic Jihad", "3", "2", "2014", "2018"),
        ("Hezbollah", "1", "1", "2016", "2016")]


def test_rivals_of_from_either_side(kb):
    assert _pick(_ask(kb, "rivals-of", group="Fatah"), "rivalLabel", "statements") == [
        ("Hamas", "1")]


def test_affiliates_and_branches_are_transitive(kb):
    # JNIM reaches al-Qaeda through AQIM.
    rows = _ask(kb, "affiliates-and-branches", group="al-Qaeda")
    assert _pick(rows, "branchLabel", "directParentLabel") == [
        ("AQAP", "al-Qaeda"), ("AQIM", "al-Qaeda"), ("JNIM", "AQIM")]


def test_splinter_lineage_both_ways(kb):
    rows = _ask(kb, "splinter-lineage", group="Real IRA")
    assert _pick(rows, "direction", "otherLabel") == [
        ("ancestor", "Official IRA"), ("ancestor", "Provisional IRA"), ("descendant", "ONH")]


def test_two_hop_alliances(kb):
    # Hamas's allies: PIJ, Hezbollah. Hezbollah's other ally: Amal. PIJ has no other.
    rows = _ask(kb, "two-hop-alliances", group="PIJ")
    assert _pick(rows, "viaLabel", "partnerLabel") == [("Hamas", "Hezbollah")]
    assert _pick(_ask(kb, "two-hop-alliances", group="Hamas"), "viaLabel",
                 "partnerLabel") == [("Hezbollah", "Amal")]


def test_brokers_depend_on_the_two_blocs_asked_about(kb):
    # Bloc of Hamas: Hamas, PIJ, Hezbollah. Bloc of Fatah: Fatah alone. Egypt talks to
    # Hamas and to Fatah: the one broker. Iran supports PIJ and Hezbollah, both in the
    # Hamas bloc, so it brokers nothing between these blocs.
    rows = _ask(kb, "brokers", first="Hamas", second="Fatah")
    assert _pick(rows, "brokerLabel", "firstContact", "secondContact") == [
        ("Egypt", "Hamas", "Fatah")]
    # Bloc of Amal: Amal, Hezbollah. Iran supports Hezbollah (Amal bloc) and PIJ (Hamas
    # bloc); Hamas itself is excluded, Hezbollah sits in both blocs.
    rows = _ask(kb, "brokers", first="PIJ", second="Amal")
    assert ("Iran", "Palestinian Islamic Jihad", "Hezbollah") in _pick(
        rows, "brokerLabel", "firstContact", "secondContact")
    assert "Egypt" not in {row["brokerLabel"] for row in rows}
    # Groups in no tie at all have no brokers: the old query answered any pair alike.
    assert _ask(kb, "brokers", first="AQAP", second="ONH") == []


def test_contradictions_show_both_sides(kb):
    # Hamas–Hezbollah is asserted in d1 and denied in d2.
    rows = [r for r in _ask(kb, "contradictions") if r["objectLabel"] == "Hezbollah"]
    assert sorted(_pick(rows, "side", "modality", "document")) == [
        ("claim", "asserted", "d1"), ("counter", "negated", "d2")]


def test_evidence_for_gives_one_row_per_statement(kb):
    # Hamas–PIJ: three statements; "Hamas" matches both "Hamas" and "HAMAS".
    rows = _ask(kb, "evidence-for", subject="Hamas", object="PIJ")
    assert _pick(rows, "document", "evidence") == [
        ("d1", "HAMAS and PIJ shared a front."), ("d1", "Hamas fought beside PIJ."),
        ("d3", "Hamas and PIJ formed a joint room.")]


def test_as_of_year(kb):
    rows = _ask(kb, "as-of-year", year="2016")
    assert _pick(rows, "subjectLabel", "relation", "objectLabel") == [
        ("Hamas", str(GK.alliedWith), "Hezbollah"),
        ("Hamas", str(GK.alliedWith), "Palestinian Islamic Jihad")]


def test_most_corroborated_puts_the_two_document_tie_first(kb):
    rows = _ask(kb, "most-corroborated")
    assert _pick(rows[:1], "subjectLabel", "objectLabel", "documents", "statements") == [
        ("Hamas", "Palestinian Islamic Jihad", "2", "3")]
    # 17 statements: three of Hamas–PIJ, and a denial of Hamas–Hezbollah, also asserted.
    assert len(rows) == 14


def test_brokers_on_the_command_line_differ_by_pair(kb):
    runner = CliRunner()
    first = runner.invoke(main, ["query", str(kb), "brokers", "--param", "first=Hamas",
                                 "--param", "second=Fatah", "--format", "csv"])
    other = runner.invoke(main, ["query", str(kb), "brokers", "--param", "first=AQAP",
                                 "--param", "second=ONH", "--format", "csv"])
    assert first.exit_code == 0 and other.exit_code == 0, first.output + other.output
    assert "Egypt" in first.output and other.output.strip().count("\n") == 0
