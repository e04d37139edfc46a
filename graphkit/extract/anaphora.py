"""What "the group", "its", "they", "the two movements" and "he" refer to.

Resolution prefers a group whose name contains the noun, then the subject of recent
sentences; plural references stand for every member of a coordination.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from graphkit.extract.lexicon import (
    ANAPHORA_NOUNS,
    ANAPHORA_PRONOUNS,
    PERSON_PRONOUNS,
    PLURAL_GROUP_NOUNS,
)
from graphkit.extract.roles import expand_conj
from graphkit.vocab import EntityType

if TYPE_CHECKING:
    from graphkit.extract.mentions import Registry


def add_anaphora(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"the group", "the network", "it", "its": the group they most likely stand for."""
    by_start = {s.start: s for s in spans}
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    plural: dict[int, list[str]] = {}
    last_plural: tuple[int, list[str]] | None = None
    seen: list[Span] = []  # group mentions so far, in order
    people: list[Span] = []
    for token in doc:
        span = by_start.get(token.i)
        if span is not None:
            kind = registry.entities[span.kb_id_].type
            if kind == EntityType.MILITANT_GROUP:
                seen.append(span)
            elif kind == EntityType.PERSON:
                people.append(span)
            continue
        if token.i in taken:
            continue
        if token.lower_ in PERSON_PRONOUNS:
            person = _person_antecedent(token, people)
            if person is not None:
                out.append(Span(doc, token.i, token.i + 1, label=person.label_,
                                kb_id=person.kb_id_, span_id="coref"))
            continue
        if not seen:
            continue
        pair = _the_two(token, seen)
        if pair:
            plural[token.i] = [s.kb_id_ for s in pair]
            antecedent: Span | None = pair[0]
        elif _is_anaphor(token):
            # An entity already named in this sentence is not what "the network" in the
            # same sentence means ("the franchise became the network's branch").
            predicative = token.dep_ == "poss" and (token.head.dep_ in ("attr", "oprd") or (
                token.head.dep_ == "pobj" and token.head.head.lower_ == "as"))
            # "X was proclaimed … as its branch": "its" is not X.
            here = _clause_subject_entities(token, out) if (
                token.pos_ == "NOUN" or predicative) else set()
            antecedent = _antecedent(token, [s for s in seen if s.kb_id_ not in here],
                                     registry)
        else:
            continue
        if antecedent is None:
            continue
        if token.lower_ in ("they", "their", "them") and last_plural and (
                token.i - last_plural[0] < 40):
            plural[token.i] = list(last_plural[1])
        elif token.lower_ in ("they", "their", "them") and _coordinated(antecedent):
            # "Ansar Dine and the MNLA … they": every conjunct
            plural[token.i] = [s.kb_id_ for s in seen if s.root in set(
                _conjuncts(antecedent.root))]
        if token.i in plural:
            last_plural = (token.i, plural[token.i])
        entity = registry.entities[antecedent.kb_id_]
        out.append(Span(doc, token.i, token.i + 1, label=entity.type.value, kb_id=entity.id,
                        span_id="coref+" if token.i in plural else "coref"))
    doc._.gk_plural = plural
    return sorted(out, key=lambda s: s.start)


def _person_antecedent(token: Token, people: list[Span]) -> Span | None:
    """"he", "his": the latest person named in this or the previous sentence, the latest
    subject among them first."""
    recent = _within(people, token, 1)
    if not recent:
        return None
    subjects = [p for p in recent if is_subject(p)]
    return (subjects or recent)[-1]


def _clause_subject_entities(token: Token, spans: list[Span]) -> set[str]:
    """Entities named as the subject of the clause ``token`` sits in (not as subject)."""
    node = token
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        if node.dep_ in ("nsubj", "nsubjpass"):
            return set()
        node = node.head
    subjects = {t.i for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                for t in c.subtree}
    return {s.kb_id_ for s in _within(spans, token, 0) if s.start in subjects
            and s.start < token.i}


def _conjuncts(token: Token) -> list[Token]:
    """The members of the coordination ``token`` is in (lists read as appositions too)."""
    first = token
    while first.head.i != first.i and (first.dep_ == "conj" or (
            first.dep_ == "appos" and any(c.dep_ == "conj" for c in first.children))):
        first = first.head
    return expand_conj(first)


def _the_two(token: Token, seen: list[Span]) -> list[Span]:
    """"the two groups", "both movements": the last two groups named before."""
    if token.lower_ not in PLURAL_GROUP_NOUNS or token.pos_ not in ("NOUN", "PROPN", "NUM"):
        return []
    words = {c.lower_ for c in token.children if c.dep_ in ("nummod", "det", "predet")}
    if token.lower_ == "two":
        words = {"two"} if "the" in words else set()  # "the two have begun to …"
    if not ({"two", "both"} & words):
        return []
    # The two groups the passage is about: those named in this sentence, then the
    # subjects of earlier ones, then any group named before.
    here = _within(seen, token, 0)
    subjects = [s for s in seen if s.root.dep_ in ("nsubj", "nsubjpass")]
    distinct: list[Span] = []
    for pool in (here, subjects, seen):
        for span in reversed(pool):
            if all(span.kb_id_ != d.kb_id_ for d in distinct):
                distinct.append(span)
            if len(distinct) == 2:
                return distinct
    return []


def _coordinated(span: Span) -> bool:
    return len(_conjuncts(span.root)) > 1


def _antecedent(token: Token, seen: list[Span], registry: Registry) -> Span | None:
    """Named-in-the-noun first ("the network" → "Haqqani Network"), then the latest
    subject, then the latest group; a singular pronoun skips coordinated groups."""
    recent = _within(seen, token, 2)
    if not recent:
        return None
    if token.pos_ == "NOUN":
        word = token.lemma_.lower()
        for span in reversed(recent):
            entity = registry.entities[span.kb_id_]
            names = [entity.label, *registry.forms.get(entity.id, [])]
            if any(word in name.lower().split() for name in names):
                return span
    if any(c.lower_ in ("new", "latter", "newly", "younger") for c in token.children):
        return recent[-1]
    if token.lower_ in ("it", "its") or token.tag_ == "NN":
        # a singular reference is not one member of a coordination
        recent = [s for s in recent if not _coordinated(s)] or recent[-1:]
    elif token.lower_ in ("they", "them", "their"):
        # a plural pronoun prefers a coordination ("X and Y … fought them")
        recent = [s for s in recent if _coordinated(s)] or recent
    if token.dep_ == "poss" and token.pos_ == "NOUN":
        # "the group's leader": the group the passage is about, not merely the latest
        return salient(recent, token)
    subjects = [s for s in recent if s.root.dep_ in ("nsubj", "nsubjpass")]
    return (subjects or recent)[-1]


def is_subject(span: Span) -> bool:
    """Whether a mention is (part of) its clause's subject."""
    root = span.root
    while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


def salient(candidates: list[Span], token: Token) -> Span | None:
    """The group a reference most likely means: the one the passage is about.

    Each earlier mention scores 1, 1.5 more as a subject, 1 more when in this or the
    previous sentence; the passage's first group scores 1 more. Ties go to the latest.
    """
    if not candidates:
        return None
    first = candidates[0].kb_id_
    scores: dict[str, float] = {}
    latest: dict[str, int] = {}
    for span in candidates:
        score = 1.0 + (1.5 if is_subject(span) else 0.0) + (
            1.0 if _sentence_gap(token.doc, span.start, token.i) <= 1 else 0.0)
        scores[span.kb_id_] = scores.get(span.kb_id_, 0.0) + score
        latest[span.kb_id_] = span.start
    if first is not None:
        scores[first] += 1.0
    best = max(scores, key=lambda k: (scores[k], latest[k]))
    return next(s for s in reversed(candidates) if s.kb_id_ == best)


def sentence_numbers(doc: Doc) -> list[int]:
    """The sentence number of every token, computed once per document (a doc's
    ``sents`` is rebuilt on every access, which made reference resolution quadratic)."""
    cached = doc.user_data.get("gk_sentence_numbers")
    if cached is None or len(cached) != len(doc):
        cached, number = [], -1
        for token in doc:
            if token.i == 0 or token.is_sent_start:
                number += 1
            cached.append(number)
        doc.user_data["gk_sentence_numbers"] = cached
    return cached


def _sentence_gap(doc: Doc, start: int, end: int) -> int:
    numbers = sentence_numbers(doc)
    return numbers[end] - numbers[start]


def _within(spans: list[Span], token: Token, gap: int) -> list[Span]:
    """The spans (in document order, all before ``token``) at most ``gap`` sentences back."""
    numbers = sentence_numbers(token.doc)
    here = numbers[token.i]
    out: list[Span] = []
    for span in reversed(spans):
        if here - numbers[span.start] > gap:
            break
        out.append(span)
    return out[::-1]


def _is_anaphor(token: Token) -> bool:
    if token.lower_ in ANAPHORA_PRONOUNS:
        return token.lower_ != "it" or token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
    if token.lower_ in ANAPHORA_NOUNS and token.pos_ == "NOUN":
        if token.dep_ in ("appos", "attr", "oprd"):
            return False  # "X, the main group in …": a description, not a reference
        if any(c.dep_ == "prep" and c.lower_ in ("between", "with", "against")
               for c in token.children):
            return False  # "the alliance between X and Y" is the tie itself
        dets = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod")
                     and c.pos_ == "PROPN"]
        return dets[:1] in (["the"], ["this"]) and not modifiers and not any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
    return False
