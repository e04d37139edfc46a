"""Extraction behaviour on sentences written for these tests (invented and real groups)."""

from __future__ import annotations

import pytest

from graphkit.errors import ModelNotFoundError
from graphkit.model import Statement
from graphkit.settings import Settings
from graphkit.vocab import EntityType, Modality, Relation


def triples(statements: list[Statement], modality: Modality | None = Modality.ASSERTED):
    return {(s.subject.label, s.predicate, s.object.label) for s in statements
            if modality is None or s.modality is modality}


def find(statements: list[Statement], relation: Relation) -> list[Statement]:
    return [s for s in statements if s.predicate is relation]


# -- relations, by construction ------------------------------------------------------------

def test_verb_alliance_with_year(read):
    sts = read("The Sons of the Delta Front allied with the Ogoni Liberation Brigades in 2011.")
    (st,) = find(sts, Relation.ALLIED_WITH)
    assert {st.subject.label, st.object.label} == {"Sons of the Delta Front",
                                                   "Ogoni Liberation Brigades"}
    assert st.year == 2011 and st.modality is Modality.ASSERTED


def test_nominal_alliance_between_two_groups(read):
    sts = read("The alliance between the Kivu Liberation Front and the Ruzizi Brigades "
               "has lasted since 2004.")
    (st,) = find(sts, Relation.ALLIED_WITH)
    assert {st.subject.label, st.object.label} == {"Kivu Liberation Front", "Ruzizi Brigades"}


def test_broke_away_from_gives_splinter_with_direction(read):
    sts = read("In 2016 the Crescent Brigades broke away from the Northern Jihad Movement.")
    assert ("Crescent Brigades", Relation.SPLINTER_OF, "Northern Jihad Movement") in triples(sts)


def test_apposition_splinter_of(read):
    sts = read("The Desert Lions Battalion, a splinter of the Sahel Salvation Front, "
               "attacked a convoy near Gao in 2019.")
    assert ("Desert Lions Battalion", Relation.SPLINTER_OF, "Sahel Salvation Front") in triples(sts)
    assert ("Desert Lions Battalion", Relation.OPERATES_IN, "Gao") in triples(sts)


def test_pledged_allegiance_gives_affiliate(read):
    sts = read("Katibat al-Furqan pledged allegiance to al-Qaida in 2015.")
    (st,) = find(sts, Relation.AFFILIATE_OF)
    assert (st.subject.label, st.object.id, st.year) == ("Katibat al-Furqan", "al-qaeda", 2015)


def test_possessive_affiliate(read):
    sts = read("Al-Shabaab's ally, the Hizbul Islam coalition, clashed with the Kenyan army.")
    assert any(s.predicate is Relation.ALLIED_WITH for s in sts)
    assert any(s.predicate is Relation.RIVAL_OF and s.object.id == "kenya" for s in sts)


def test_three_party_merger_gives_three_statements(read):
    sts = read("Jamaat Ansar al-Tawhid, Katibat al-Nur and the Coast Martyrs Brigade merged "
               "to form the Unified Sahara Front in 2018.")
    merged = find(sts, Relation.MERGED_INTO)
    assert {s.subject.label for s in merged} == {"Jamaat Ansar al-Tawhid", "Katibat al-Nur",
                                                 "Coast Martyrs Brigade"}
    assert {s.object.label for s in merged} == {"Unified Sahara Front"}
    assert {s.year for s in merged} == {2018}


def test_state_sponsor_with_shared_object(read):
    sts = read("Iran has armed and funded the Bahrain Martyrs Brigade since 2013.")
    assert ("Iran", Relation.SUPPORTS, "Bahrain Martyrs Brigade") in triples(sts)


def test_passive_participle_led_by(read):
    sts = read("The Blue Mountain Army, led by Idris Kamara, raided a police post.")
    assert ("Idris Kamara", Relation.LEADER_OF, "Blue Mountain Army") in triples(sts)


def test_leader_title_compound(read):
    sts = read("Coast Front chief Yusuf Adan Warsame met reporters on Sunday.")
    assert ("Yusuf Adan Warsame", Relation.LEADER_OF, "Coast Front") in triples(sts)


def test_founder_passive(read):
    sts = read("The Forest Guardians Front was founded by Omar Diallo in 2009.")
    (st,) = find(sts, Relation.FOUNDER_OF)
    assert (st.subject.label, st.object.label, st.year) == ("Omar Diallo",
                                                            "Forest Guardians Front", 2009)
    assert st.subject.type is EntityType.PERSON


def test_government_talks(read):
    sts = read("The Nigerian government held talks with the Delta Freedom Movement in 2020.")
    assert ("Nigeria", Relation.NEGOTIATES_WITH, "Delta Freedom Movement") in triples(sts)


def test_state_as_place_is_location(read):
    sts = read("The Forest Guardians Front is based in Mali.")
    (st,) = find(sts, Relation.OPERATES_IN)
    assert st.object.type is EntityType.LOCATION and st.object.id == "mali"


def test_killing_a_leader_is_hostility_to_the_group(read):
    sts = read("A French drone killed Abu Talha, who had led the Sahara Emirate Brigade "
               "since 2016.")
    assert ("France", Relation.RIVAL_OF, "Sahara Emirate Brigade") in triples(sts)


def test_the_object_of_a_control_verb_is_the_subject_of_the_tie(read):
    # Niger persuades; the Kanem Army is the one that allies
    sts = read("Niger persuaded the Kanem Army to ally with the Desert Hawks Brigade.")
    assert triples(sts) == {("Kanem Army", Relation.ALLIED_WITH, "Desert Hawks Brigade")}


# -- modality ----------------------------------------------------------------------------

def test_denial_is_negated_not_asserted(read):
    sts = read("The Blue Mountain Army denied any links to al-Qaeda.")
    (st,) = find(sts, Relation.ALLIED_WITH)
    assert st.modality is Modality.NEGATED


def test_never_is_negated(read):
    sts = read("The Crescent Brigades have never cooperated with the Northern Jihad Movement.")
    assert {s.modality for s in find(sts, Relation.ALLIED_WITH)} == {Modality.NEGATED}


def test_may_is_hypothetical(read):
    sts = read("Analysts say the Free Coast Brigades may soon ally with the Red Delta Army.")
    assert {s.modality for s in find(sts, Relation.ALLIED_WITH)} == {Modality.HYPOTHETICAL}


def test_question_is_hypothetical(read):
    sts = read("Would the Red Delta Army and the Free Coast Brigades form an alliance?")
    assert {s.modality for s in find(sts, Relation.ALLIED_WITH)} == {Modality.HYPOTHETICAL}


def test_negation_scope_stops_at_coordination(read):
    sts = read("The Crescent Brigades never cooperated with the Northern Jihad Movement, "
               "but they fought the Malian army in 2012.")
    rivals = find(sts, Relation.RIVAL_OF)
    assert rivals and all(s.modality is Modality.ASSERTED for s in rivals)


def test_helped_plan_is_not_a_hedge(read):
    sts = read("Its commander helped plan the 2008 bombings in Lahore carried out by the "
               "Markaz Brigade.")
    assert all(s.modality is Modality.ASSERTED for s in find(sts, Relation.OPERATES_IN))


def test_a_negation_inside_an_open_question_is_hypothetical(read):
    sts = read("It is unclear whether the Kanem Army has not already allied with the "
               "Desert Hawks Brigade.")
    (st,) = find(sts, Relation.ALLIED_WITH)
    assert st.modality is Modality.HYPOTHETICAL


# -- entities ----------------------------------------------------------------------------

def test_a_name_the_recogniser_cut_keeps_its_first_part(read):
    # the small English NER reads only "Dramo" here, as an organisation; the person is
    # "Iskel Dramo", and the tie is his
    sts = read("Iskel Dramo, the leader of Nurhal, denied that the group had any "
               "foreign backers.")
    assert ("Iskel Dramo", Relation.LEADER_OF, "Nurhal") in triples(sts)


def test_spelling_variants_share_one_iri(read):
    sts = read("Al-Qaida clashed with the Tawhid Front in 2010. "
               "In 2012 al-Qa'ida fought the Tawhid Front again.")
    assert {s.subject.iri for s in find(sts, Relation.RIVAL_OF)} == {
        "https://w3id.org/graphkit/entity/al-qaeda"}


def test_acronym_defined_in_parentheses_refers_back(read):
    sts = read("The Forest Guardians Front (FGF) was founded in 2009. "
               "The FGF is based in the Kivu region.")
    (st,) = find(sts, Relation.OPERATES_IN)
    assert st.subject.label == "Forest Guardians Front"


def test_the_group_refers_to_the_last_group(read):
    sts = read("The Ogaden Liberation Vanguard was formed in 1998. "
               "The group later pledged allegiance to the Islamic State.")
    assert ("Ogaden Liberation Vanguard", Relation.AFFILIATE_OF, "Islamic State") in triples(sts)


def test_unknown_group_gets_minted_iri(read):
    sts = read("The Harakat Sawt al-Haq attacked the Tigris Brigades in 2021.")
    (st,) = find(sts, Relation.RIVAL_OF)
    assert st.subject.minted and st.subject.iri.endswith("/harakat-sawt-al-haq")


def test_evidence_offsets_point_at_the_sentence(read):
    text = "Some context first. Katibat al-Furqan pledged allegiance to al-Qaida in 2015."
    (st,) = find(read(text), Relation.AFFILIATE_OF)
    assert text[st.evidence.start:st.evidence.end] == st.evidence.sentence
    assert st.evidence.sentence.startswith("Katibat al-Furqan")


def test_no_statement_without_two_entities(read):
    assert read("Fighting continued through the winter, officials said.") == []


# -- pipeline errors ---------------------------------------------------------------------

def test_missing_model_is_a_clear_error():
    from graphkit.extract import Extractor

    with pytest.raises(ModelNotFoundError, match="'en_core_web_nonexistent' is not installed"):
        Extractor(Settings(model="en_core_web_nonexistent"))


def test_a_missing_spacy_pipeline_is_installed_with_spacy_download_not_pip():
    # spaCy's own pipelines are not on the package registry: `pip install
    # en-core-web-lg` finds nothing, `python -m spacy download en_core_web_lg` works.
    from graphkit.extract import Extractor

    with pytest.raises(ModelNotFoundError) as caught:
        Extractor(Settings(model="en_core_web_lg"))
    assert str(caught.value).endswith("install it with: python -m spacy download en_core_web_lg")
    assert "pip install" not in str(caught.value)
