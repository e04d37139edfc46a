"""The shipped gazetteer: identities and aliases only, every alias resolving to one entity."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import OWL, SKOS

from graphkit.errors import InputError
from graphkit.gazetteer import Gazetteer, case_sensitive, normalize
from graphkit.model import slugify
from graphkit.settings import Settings
from graphkit.vocab import ENTITY_BASE, WD, EntityType

GAZETTEER = Settings().gazetteer
ALLOWED_PREDICATES = {RDF.type, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs, RDFS.comment}
ENTITY_CLASSES = {t.iri for t in EntityType}

# Surface forms knowingly shared by two entities after normalize(), with the reason.
# Empty: every shared name so far was given to one entity only or to none.
EXEMPT_SHARED_FORMS: dict[str, str] = {}

TINY = """
@prefix gk: <https://w3id.org/graphkit/ontology#> .
@prefix ent: <https://w3id.org/graphkit/entity/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ent:group-a a gk:MilitantGroup ; skos:prefLabel "Group A" ; skos:altLabel "GA", "Gruppe A" .
"""


# Wording that states a tie between entities (who founded, leads, backs, fights, split
# from or belongs to whom): a comment says what an entity is, never a relation, which
# only documents may state (the file's header says so).
RELATION_WORDING = re.compile(
    r"found(?:er|ed by)|co-found|\blead(?:er|s|ing)?\b|\bled\b|-led\b|\bcommand(?:er|s)?\b|"
    r"\bemir\b|\bchief\b|\bhead(?:s|ed)?\b|\bbranch|\bwing\b|\baffiliat|\bproxy\b|backed\b|"
    r"aligned\b|organi[sz]ed by|\bmerge[rd]?\b|\bmerger\b|\bsplit\b|splinter|dissident|"
    r"\bfaction|\bfront\b|successor|succeeded|\bmember|\balli(?:ed|ance|es)\b|\bally\b|"
    r"\brival|\bagainst\b|\bsupport|\bunder\b|\w['’]s\b|\bpresident\b|\bpart of\b|\bsponsor",
    re.IGNORECASE)


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(GAZETTEER, format="turtle")
    return g


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(GAZETTEER)


def test_shipped_file_parses_and_loads_fast() -> None:
    start = time.perf_counter()
    gaz = Gazetteer.load(GAZETTEER)
    assert time.perf_counter() - start < 0.5
    assert len(gaz) > 300


def test_at_least_150_militant_groups_and_every_class_present(gaz: Gazetteer) -> None:
    counts: dict[EntityType, int] = defaultdict(int)
    for entity in gaz.entities:
        counts[entity.type] += 1
    assert counts[EntityType.MILITANT_GROUP] >= 150
    assert counts[EntityType.STATE] >= 40
    assert counts[EntityType.ORGANIZATION] >= 20
    assert counts[EntityType.PERSON] >= 60
    assert counts[EntityType.LOCATION] >= 1


def test_only_identity_predicates_so_no_relations(graph: Graph) -> None:
    for s, p, o in graph:
        assert p in ALLOWED_PREDICATES, f"disallowed predicate {p} on {s}"
        assert str(s).startswith(ENTITY_BASE), f"subject outside ent: {s}"
        if p == RDF.type:
            assert o in ENTITY_CLASSES, f"{s} has unknown class {o}"
        elif p == OWL.sameAs:
            assert str(o).startswith(str(WD)), f"{s} sameAs non-Wikidata {o}"
        else:
            assert isinstance(o, Literal), f"{s} {p} points at a node: {o}"


def test_every_entity_has_one_class_one_label_and_its_slug(graph: Graph) -> None:
    subjects = set(graph.subjects())
    for s in subjects:
        classes = list(graph.objects(s, RDF.type))
        labels = list(graph.objects(s, SKOS.prefLabel))
        assert len(classes) == 1, f"{s} has classes {classes}"
        assert len(labels) == 1, f"{s} has prefLabels {labels}"
        assert str(s) == ENTITY_BASE + slugify(str(labels[0])), f"{s} slug != its label"


def test_wikidata_ids_are_well_formed_and_unique(gaz: Gazetteer) -> None:
    qids = [e.qid for e in gaz.entities if e.qid]
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in qids)
    assert len(qids) == len(set(qids))
    assert gaz.lookup("al-Qaeda").qid == "Q34490"  # type: ignore[union-attr]


def test_no_surface_form_names_two_entities(gaz: Gazetteer) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for form, entity in gaz.surface_forms():
        key = form if case_sensitive(form) else normalize(form)
        owners[key].add(entity.id)
    shared = {k: v for k, v in owners.items() if len(v) > 1 and k not in EXEMPT_SHARED_FORMS}
    assert shared == {}


def test_every_surface_form_resolves_to_its_own_entity(gaz: Gazetteer) -> None:
    wrong = [(form, e.id) for form, e in gaz.surface_forms() if gaz.lookup(form) != e]
    assert wrong == []


@pytest.mark.parametrize(
    ("names", "slug"),
    [
        (["al-Qaeda", "al-Qaida", "al-Qa'ida", "al-Qa\u2019ida", "Al Qaeda", "AQ"], "al-qaeda"),
        (["ISIS", "ISIL", "IS", "Daesh", "Islamic State", "the Islamic State's"],
         "islamic-state"),
        (["Hizballah", "Hezbollah", "Hizbullah", "Hizb Allah", "Hezbollah's"], "hezbollah"),
        (["Jabhat al-Nusra", "Nusra Front", "Jabhat Fateh al-Sham", "JFS"], "jabhat-al-nusra"),
        (["HTS", "Hay'at Tahrir al-Sham"], "hayat-tahrir-al-sham"),
        (["GSPC", "AQIM"], "al-qaeda-in-the-islamic-maghreb"),
        (["US", "U.S.", "USA", "America", "Washington"], "united-states"),
        (["Taleban", "Taliban", "the Taliban"], "taliban"),
        (["Lashkar-i-Taiba", "Lashkar-e-Tayyiba", "LeT"], "lashkar-e-taiba"),
        (["Al-Shabab", "al-Shabaab", "Shabaab"], "al-shabaab"),
        (["Houthis", "Huthis", "Ansarullah", "Ansar Allah"], "houthis"),
        (["Abu Bakr al-Baghdadi", "al-Baghdadi", "Baghdadi"], "abu-bakr-al-baghdadi"),
    ],
)
def test_spelling_variants_resolve_to_one_entity(gaz: Gazetteer, names: list[str],
                                                 slug: str) -> None:
    assert {n: getattr(gaz.lookup(n), "id", None) for n in names} == {n: slug for n in names}


@pytest.mark.parametrize("word", ["is", "us", "Is", "Us", "aq", "adf", "it", "a"])
def test_common_words_do_not_resolve(gaz: Gazetteer, word: str) -> None:
    assert gaz.lookup(word) is None
    assert word not in gaz


def test_distinct_groups_with_similar_names_stay_apart(gaz: Gazetteer) -> None:
    pairs = [("Ansar al-Islam", "Ansarul Islam"), ("PFLP", "PFLP-GC"),
             ("Hezbollah", "Kata'ib Hezbollah"), ("Hezbollah", "Turkish Hizbullah"),
             ("ISSP", "ISPP"), ("Real IRA", "New IRA")]
    for a, b in pairs:
        ea, eb = gaz.lookup(a), gaz.lookup(b)
        assert ea is not None and eb is not None and ea != eb, (a, b)


def test_entity_fields_come_from_the_file(gaz: Gazetteer) -> None:
    hamas = gaz.get("hamas")
    assert hamas is not None and hamas.type is EntityType.MILITANT_GROUP
    assert hamas.label == "Hamas" and hamas.qid == "Q38799" and not hamas.minted
    assert "Islamic Resistance Movement" in hamas.aliases
    assert hamas.iri == ENTITY_BASE + "hamas" and hamas in gaz


def test_surface_forms_cover_labels_and_aliases() -> None:
    gaz = Gazetteer.parse(TINY)
    assert sorted(form for form, _ in gaz.surface_forms()) == ["GA", "Group A", "Gruppe A"]


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        Gazetteer.load(tmp_path / "nope.ttl")


def test_unparsable_file_is_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("ent:x a gk:MilitantGroup ; this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="cannot parse gazetteer") as info:
        Gazetteer.load(bad)
    assert "\n" not in str(info.value)


def test_entity_without_pref_label_is_input_error() -> None:
    with pytest.raises(InputError, match="no skos:prefLabel"):
        Gazetteer.parse(TINY.replace('skos:prefLabel "Group A" ;', ""))


def test_normalize_folds_punctuation_accents_and_possessives() -> None:
    assert normalize("Abdullah Öcalan") == normalize("Abdullah Ocalan")
    assert normalize("Kurdistan Workers\u2019 Party") == normalize("Kurdistan Workers' Party")
    assert normalize("Hamas's") == normalize("Hamas") == "hamas"
    assert normalize("Tehreek-e-Taliban") == normalize("Tehrik-i-Taliban")


@pytest.mark.parametrize(
    ("name", "qid"),
    [("Hezbollah", "Q41053"), ("Boko Haram", "Q212372"), ("al-Shabaab", "Q309998"),
     ("AQIM", "Q2635966"), ("ISWAP", "Q86661119")],
)
def test_verified_wikidata_ids_of_major_groups(gaz: Gazetteer, name: str, qid: str) -> None:
    entity = gaz.lookup(name)
    assert entity is not None and entity.qid == qid


@pytest.mark.parametrize("comment, states_a_tie", [
    ("Founder of the Taliban.", True), ("al-Qaeda's branch in Yemen.", True),
    ("Iran-backed Iraqi militia.", True), ("Armed wing of Hamas.", True),
    ("Largest FARC dissident faction.", True), ("SDF commander.", True),
    ("Renamed from the GSPC in 2007.", False), ("Syrian rebel group based in Eastern Ghouta.",
                                                False)])
def test_relation_wording_is_recognised(comment: str, states_a_tie: bool) -> None:
    assert bool(RELATION_WORDING.search(comment)) is states_a_tie


def test_no_comment_states_a_relation(graph: Graph) -> None:
    """Comments say what an entity is; "Founder of the Taliban" is a claim for documents."""
    stating = sorted(f"{s}: {o}" for s, o in graph.subject_objects(RDFS.comment)
                     if RELATION_WORDING.search(str(o)))
    assert stating == []
