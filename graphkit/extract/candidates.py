"""Relation candidates (plain data) and the document-level rules over them: hostility
against a person counts against the person's group, a leader is not also a member, a
denial of an accusation negates what it answers, "P's Army" is led by P.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from graphkit.extract.modality import modality_of
from graphkit.extract.roles import lemma
from graphkit.vocab import EntityType, Modality, Relation

TYPE_GROUPS: dict[str, frozenset[str]] = {
    "GROUP": frozenset({EntityType.MILITANT_GROUP.value}),
    "ACTOR": frozenset({EntityType.MILITANT_GROUP.value, EntityType.STATE.value,
                        EntityType.ORGANIZATION.value}),
    "PERSON": frozenset({EntityType.PERSON.value}),
    # What a person can lead, join or found: a group, or a body such as the Quds Force.
    "UNIT": frozenset({EntityType.MILITANT_GROUP.value, EntityType.ORGANIZATION.value}),
    "PLACE": frozenset({EntityType.LOCATION.value, EntityType.STATE.value}),
    # Hostility against a person counts against the group they lead or serve
    # ("a drone strike killed the group's emir"): see through_people.
    "ACTOR_OR_PERSON": frozenset({EntityType.MILITANT_GROUP.value, EntityType.STATE.value,
                                  EntityType.ORGANIZATION.value, EntityType.PERSON.value}),
}
PERSON = EntityType.PERSON.value


@dataclass(frozen=True)
class Candidate:
    """A relation read in one sentence, before it becomes a Statement."""

    subject: str
    subject_type: str
    relation: Relation
    object: str
    object_type: str
    modality: Modality
    confidence: float
    year: int | None
    start: int
    end: int
    method: str = "pattern"  # how it was found: "pattern", "model" or "both"


def prefer_leader(candidates: list[Candidate]) -> list[Candidate]:
    """A person who leads or founded a group is not also listed as a member."""
    leaders = {(c.subject, c.object) for c in candidates
               if c.relation in (Relation.LEADER_OF, Relation.FOUNDER_OF)}
    return [c for c in candidates
            if not (c.relation is Relation.MEMBER_OF and (c.subject, c.object) in leaders)]


ACCUSATIONS = frozenset({"accusation", "allegation", "claim", "charge", "report", "assertion",
                         "suggestion", "account"})
DENYING = frozenset({"deny", "reject", "dismiss", "refute", "rebut", "disavow", "repudiate"})


def denied_accusations(doc: Doc, candidates: list[Candidate],
                        at: dict[int, Span]) -> list[Candidate]:
    """"Burundi accuses Rwanda of arming RED-Tabara. Rwanda rejects the accusation.": a
    party's denial of an accusation or report negates the claims about it in that
    sentence and the one before."""
    from dataclasses import replace

    denials: list[tuple[int, int, int, set[str]]] = []
    for token in doc:
        if lemma(token) not in DENYING or not any(
                c.dep_ == "dobj" and lemma(c) in ACCUSATIONS for c in token.children):
            continue
        deniers = {at[t.i].kb_id_ for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                   for t in c.subtree if t.i in at}
        sent = token.sent
        before = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        denials.append((before, sent.start_char, sent.end_char, deniers))
    if not denials:
        return candidates
    out = []
    for c in candidates:
        if c.modality is not Modality.NEGATED and any(
                _denied(c, *denial) for denial in denials):
            c = replace(c, modality=Modality.NEGATED)
        out.append(c)
    return out


def _denied(c: Candidate, before: int, start: int, end: int, deniers: set[str]) -> bool:
    """Whether a denial covers the claim. A tie within the denier's own description in
    the denial's sentence ("Ali Warsame, a spokesman for X, denied the claim") is how the
    writer names the denier, not the claim it denies."""
    if not before <= c.start < end or not {c.subject, c.object} & deniers:
        return False
    return not (c.start >= start and {c.subject, c.object} <= deniers)


def possessive_leaders(sent: Span, at: dict[int, Span]) -> Iterator[Candidate]:
    """"Khalifa Haftar's Libyan National Army": a person's group is the one they lead."""
    for i in range(sent.start, sent.end):
        span = at.get(i)
        if span is None or span.start != i:
            continue
        root = span.root
        if span.label_ != PERSON or root.dep_ != "poss" or root.head.i not in at:
            continue
        group = at[root.head.i]
        if group.label_ not in TYPE_GROUPS["UNIT"] or group.start < span.end:
            continue
        yield Candidate(subject=span.kb_id_, subject_type=span.label_,
                        relation=Relation.LEADER_OF, object=group.kb_id_,
                        object_type=group.label_, modality=modality_of(group.root, sent),
                        confidence=0.6, year=None, start=sent.start_char, end=sent.end_char)


def through_people(candidates: list[Candidate]) -> list[Candidate]:
    """Hostility towards a person becomes hostility towards the person's group(s), as the
    same text states them, and a split led by a person ("P broke away to form Y") is a
    split from P's group; with no group stated, the candidate is dropped."""
    from dataclasses import replace

    groups: dict[str, list[tuple[str, str]]] = {}
    for c in candidates:
        if c.relation in (Relation.LEADER_OF, Relation.MEMBER_OF, Relation.FOUNDER_OF) and (
                c.modality is Modality.ASSERTED):
            groups.setdefault(c.subject, []).append((c.object, c.object_type))
    out: list[Candidate] = []
    for c in candidates:
        if c.relation not in (Relation.RIVAL_OF, Relation.SPLINTER_OF) or (
                PERSON not in (c.subject_type, c.object_type)):
            out.append(c)
            continue
        if c.subject_type == PERSON:
            continue
        for group, group_type in dict.fromkeys(groups.get(c.object, [])):
            if group != c.subject:
                out.append(replace(c, object=group, object_type=group_type,
                                   confidence=c.confidence - 0.1))
    return out
