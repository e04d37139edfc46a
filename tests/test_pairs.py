"""Mention pairs and their features, on Docs built by hand (no trained pipeline)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from graphkit.extract.pairs import Pair, pair_features, path_features, sentence_pairs

WORDS = ["Tamzeen", "fought", "the", "Vreli", "in", "Karth", "."]
HEADS = [1, 1, 3, 1, 1, 4, 1]
DEPS = ["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"]
POS = ["PROPN", "VERB", "DET", "PROPN", "ADP", "PROPN", "PUNCT"]
LEMMAS = ["Tamzeen", "fight", "the", "Vreli", "in", "Karth", "."]


@pytest.fixture(scope="module")
def doc() -> Doc:
    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words=WORDS, heads=HEADS, deps=DEPS, pos=POS, lemmas=LEMMAS)
    return doc


def mentions(doc: Doc) -> list[Span]:
    return [Span(doc, 0, 1, label="MilitantGroup", kb_id="tamzeen", span_id="ner"),
            Span(doc, 3, 4, label="MilitantGroup", kb_id="vreli", span_id="ner"),
            Span(doc, 5, 6, label="Location", kb_id="karth", span_id="ner")]


def test_every_two_entities_of_a_sentence_form_one_pair_in_text_order(doc):
    sent = next(iter(doc.sents))
    pairs = [(p.first.text, p.second.text) for p in sentence_pairs(sent, mentions(doc))]
    assert pairs == [("Tamzeen", "Vreli"), ("Tamzeen", "Karth"), ("Vreli", "Karth")]


def test_two_mentions_of_one_entity_are_no_pair(doc):
    sent = next(iter(doc.sents))
    same = [Span(doc, 0, 1, label="MilitantGroup", kb_id="x"),
            Span(doc, 3, 4, label="MilitantGroup", kb_id="x")]
    assert list(sentence_pairs(sent, same)) == []


def test_the_path_runs_up_to_the_verb_and_down_to_the_object(doc):
    sent = next(iter(doc.sents))
    first, second, _ = mentions(doc)
    feats = path_features(Pair(first, second, sent))
    assert "pd=nsubj^dobj" in feats
    assert "pt=fight" in feats
    assert "p=nsubj fight dobj" in feats


def test_a_preposition_on_the_path_is_kept_as_a_word(doc):
    sent = next(iter(doc.sents))
    _, second, place = mentions(doc)
    feats = path_features(Pair(second, place, sent))
    assert "p=dobj fight prep/in pobj" in feats
    assert "pw=in" in feats
    assert Pair(second, place, sent).governor.text == "fought"


def test_pattern_findings_and_types_are_features(doc):
    sent = next(iter(doc.sents))
    first, second, _ = mentions(doc)
    feats = pair_features(Pair(first, second, sent), ["rivalOf"])
    assert "t=MilitantGroup|MilitantGroup" in feats
    assert "pat=rivalOf" in feats
    assert "pat=rivalOf&MilitantGroup|MilitantGroup" in feats
    assert "bw=the" in feats  # the word between the two names
    none = pair_features(Pair(first, second, sent), [])
    assert "pat=NONE" in none


def test_the_model_states_a_fact_only_when_it_is_sure(doc):
    from graphkit.extract.scoring import MIN_ASSERTED, PairScorer
    from graphkit.learn.linear import LinearModel

    sent = next(iter(doc.sents))
    first, second, _ = mentions(doc)
    pair = Pair(first, second, sent)
    relations = LinearModel.train([["x"]], ["NONE"])
    # "asserted" at about 0.6 and "hypothetical" at about 0.4 for every pair
    unsure = LinearModel.train([["x"]] * 5, ["asserted"] * 3 + ["hypothetical"] * 2, l2=0.01)
    assert 0.5 < unsure.proba([])["asserted"] < MIN_ASSERTED
    assert PairScorer(relations, unsure)._modality(pair, pair.governor) == "hypothetical"
    sure = LinearModel.train([["x"]] * 10, ["asserted"] * 10, l2=0.01)
    assert PairScorer(relations, sure)._modality(pair, pair.governor) == "asserted"
