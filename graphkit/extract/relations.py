"""Relation patterns (data in ``patterns.json``) applied to parsed sentences.

For each trigger word a pattern names, :mod:`graphkit.extract.roles` finds the tokens
in the roles the pattern asks for; each token is mapped to the mention it belongs to;
type constraints filter the pairs; :mod:`graphkit.extract.modality` reads modality and
year at the trigger. The result is a list of :class:`Candidate` records, plain data.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from graphkit.extract.anaphora import salient, sentence_numbers
from graphkit.extract.modality import modality_of, year_of
from graphkit.extract.roles import effective_pos, expand_conj, lemma, roles_for
from graphkit.vocab import EntityType, Modality, Relation

PATTERNS_PATH = Path(__file__).parent / "patterns.json"
TYPE_GROUPS: dict[str, frozenset[str]] = {
    "GROUP": frozenset({EntityType.MILITANT_GROUP.value}),
    "ACTOR": frozenset({EntityType.MILITANT_GROUP.value, EntityType.STATE.value,
                        EntityType.ORGANIZATION.value}),
    "PERSON": frozenset({EntityType.PERSON.value}),
    # What a person can lead, join or found: a group, or a body such as the Quds Force.
    "UNIT": frozenset({EntityType.MILITANT_GROUP.value, EntityType.ORGANIZATION.value}),
    "PLACE": frozenset({EntityType.LOCATION.value, EntityType.STATE.value}),
    # Hostility against a person counts against the group they lead or serve
    # ("a drone strike killed the group's emir"): see _through_people.
    "ACTOR_OR_PERSON": frozenset({EntityType.MILITANT_GROUP.value, EntityType.STATE.value,
                                  EntityType.ORGANIZATION.value, EntityType.PERSON.value}),
}
PERSON = EntityType.PERSON.value
# Nouns that stand for the group named in their "of" phrase ("the emir of X").
THROUGH_OF = frozenset({"emir", "amir", "leader", "leadership", "head", "chief", "command",
                        "ranks", "core", "banner", "wing", "remnant", "remnants", "faction",
                        "fighters", "members", "militants", "loyalists", "part", "branch",
                        "gunmen", "separatists", "insurgents", "rebels", "jihadists",
                        "militiamen", "cadres", "commanders", "troops", "forces", "soldiers",
                        "operatives", "supporters", "men", "units", "cells", "bombers",
                        "attackers", "dissidents", "elements", "member", "fighter",
                        "commander", "militant", "operative", "recruits"})
GENERIC_GROUP_NOUNS = frozenset({"insurgency", "gang", "cartel", "guerrilla", "movement",
                                 "group", "coalition", "organisation",
                                 "organization", "alliance", "front", "umbrella", "entity",
                                 "outfit", "branch", "affiliate", "faction", "network",
                                 "militia", "force", "body"})
RELATIONAL_NOUNS = frozenset({"ally", "allies", "partner", "rival", "enemy", "foe", "adversary",
                              "sponsor", "backer", "patron", "proxy", "successor",
                              "predecessor", "affiliate", "offshoot", "splinter"})
NAMING = frozenset({"call", "know", "name", "style", "dub", "brand"})
QUANTIFIERS = frozenset({"one", "some", "many", "several", "most", "each", "dozens", "hundreds",
                         "thousands", "scores", "all", "any", "part", "much", "both",
                         "either", "neither"})


@dataclass(frozen=True)
class Pattern:
    """One relation pattern, loaded from data."""

    relation: Relation
    pos: frozenset[str]
    lemmas: frozenset[str]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    types: tuple[frozenset[str], frozenset[str]]
    pair_within: tuple[str, ...] = ()
    needs: dict[str, frozenset[str]] = field(default_factory=dict)
    confidence: float = 0.7
    # "P, the group's emir since 2015": with no group named at the trigger, the group
    # the passage is about (the latest one mentioned) is the object.
    implicit_object: bool = False
    # Modifier words that rule a trigger out ("field commander" is no leader).
    excludes: dict[str, frozenset[str]] = field(default_factory=dict)
    # Lemmas of the trigger's head that rule it out ("merged under the leadership of P"
    # says who leads the result, not the groups that merged).
    head_not: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, row: dict[str, Any]) -> Pattern:
        needs: dict[str, frozenset[str]] = {}
        if isinstance(row.get("needs"), list):
            needs["*"] = frozenset(row["needs"])
        for key in ("needs_any", "needs_modifier"):
            for word, words in (row.get(key) or {}).items():
                if words:
                    needs[word] = frozenset(words)
        types = row.get("types", ["ACTOR", "ACTOR"])
        return cls(
            relation=Relation.parse(row["relation"]),
            pos=frozenset(row["pos"]),
            lemmas=frozenset(row["lemmas"]),
            subject=tuple(row["subject"]),
            object=tuple(row["object"]),
            types=(TYPE_GROUPS[types[0]], TYPE_GROUPS[types[1]]),
            pair_within=tuple(row.get("pair_within", ())),
            needs=needs,
            confidence=float(row.get("confidence", 0.7)),
            implicit_object=bool(row.get("implicit_object", False)),
            excludes={k: frozenset(v) for k, v in (row.get("excludes") or {}).items()},
            head_not=frozenset(row.get("head_not", ())),
        )

    def satisfied(self, trigger: Token) -> bool:
        word = lemma(trigger)
        if self.head_not and lemma(trigger.head) in self.head_not:
            return False
        banned = self.excludes.get(word) or self.excludes.get("*")
        if banned and {c.lower_ for c in trigger.children if c.dep_ in (
                "det", "amod", "compound", "nummod", "nmod")} & banned:
            return False
        words = self.needs.get("*") or self.needs.get(word)
        if not words:
            return True
        near = {lemma(c) for c in trigger.children} | {
            c.lower_ for c in trigger.children} | {
            lemma(g) for c in trigger.children for g in c.children}
        return bool(near & words)


def load_patterns(path: Path = PATTERNS_PATH) -> list[Pattern]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Pattern.from_data(row) for row in data["patterns"]]


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


class RelationReader:
    """Applies the patterns to a document whose mentions are set."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.by_lemma: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            for word in pattern.lemmas:
                self.by_lemma.setdefault(word, []).append(pattern)

    def read(self, doc: Doc, mentions: list[Span]) -> list[Candidate]:
        at: dict[int, Span] = {}
        for span in mentions:
            for i in range(span.start, span.end):
                at[i] = span
        out: list[Candidate] = []
        groups = sorted((s for s in mentions if s.label_ == EntityType.MILITANT_GROUP.value),
                        key=lambda s: s.start)
        numbers = sentence_numbers(doc)
        with_mentions = {numbers[s.start] for s in mentions}
        for sent in doc.sents:
            if numbers[sent.start] not in with_mentions:
                continue
            for token in sent:
                patterns = self.by_lemma.get(lemma(token)) or self.by_lemma.get(token.lower_)
                if patterns and token.i not in at:
                    topic = _topic(groups, token)
                    out.extend(self._at_trigger(token, sent, patterns, at, topic))
            out.extend(_possessive_leaders(sent, mentions, at))
        out = _denied_accusations(doc, out, at)
        return _prefer_leader(_through_people(list(dict.fromkeys(out))))

    def _at_trigger(self, trigger: Token, sent: Span, patterns: list[Pattern],
                    at: dict[int, Span], topic: Span | None) -> Iterator[Candidate]:
        roles = roles_for(trigger)
        seen: set[tuple[str, str]] = set()
        modality: Modality | None = None
        year: int | None = None
        for pattern in patterns:
            if effective_pos(trigger) not in pattern.pos or not pattern.satisfied(trigger):
                continue
            for subj, obj, implicit in _pairs(pattern, roles, at, topic):
                pair = (subj.kb_id_, obj.kb_id_)
                if pair in seen or subj.kb_id_ == obj.kb_id_:
                    continue
                seen.add(pair)
                seen.add((obj.kb_id_, subj.kb_id_))
                if modality is None:
                    modality = modality_of(trigger, sent)
                    year = year_of(trigger, sent)
                penalty = 0.15 * sum(s.id_.startswith("coref") for s in (subj, obj)) + (
                    0.2 if implicit else 0.0)
                yield Candidate(
                    subject=subj.kb_id_, subject_type=subj.label_, relation=pattern.relation,
                    object=obj.kb_id_, object_type=obj.label_, modality=modality,
                    confidence=max(0.05, pattern.confidence - penalty), year=year,
                    start=sent.start_char, end=sent.end_char)


def _mention(token: Token, at: dict[int, Span], depth: int = 0) -> Span | None:
    """The mention a role token stands for, looking through appositions and compounds."""
    if token.i in at:
        return at[token.i]
    for child in token.children:
        if child.dep_ == "appos":
            # "Al-Shabaab's ally, the Hizbul Islam coalition": the apposition names it
            found = at.get(child.i) or (_mention(child, at, depth + 1) if depth < 3 else None)
            if found is not None:
                return found
    if token.dep_ == "appos" and token.head.i in at:
        return at[token.head.i]
    word = lemma(token)
    if depth < 3 and (word in THROUGH_OF or token.like_num or word in QUANTIFIERS or (
            token.tag_ == "NNS")):
        # "loyalty to the emir of X", "gunmen from X", "ten of its fighters",
        # "the Islamists of X"
        for child in token.children:
            if child.dep_ == "prep" and (child.lower_ in ("of", "from") or (
                    child.lower_ == "as" and any(g.lower_ == "such" for g in child.children
                                                 ) or token.doc[child.i - 1].lower_ == "such")):
                for obj in child.children:
                    found = _mention(obj, at, depth + 1) if obj.dep_ == "pobj" else None
                    if found is not None:
                        return found
    # "Hapilon's fighters" are not Hapilon: a person does not stand for a unit; and
    # "its ally" is not "it": a relational noun's possessor is the other party.
    people = word in THROUGH_OF
    for child in token.children:
        if (child.dep_ in ("compound", "amod", "poss") and child.i in at and child.i < token.i
                and not (people and at[child.i].label_ == PERSON)
                and not (child.dep_ == "poss" and word in RELATIONAL_NOUNS)
                and not _against(child)):
            return at[child.i]
    nxt = token.i + 2
    if (word in GENERIC_GROUP_NOUNS and nxt < len(token.doc)
            and token.doc[token.i + 1].text == "," and nxt in at):
        return at[nxt]  # "into a single movement, JNIM" (an apposition the parser missed)
    before = _left_neighbour(token)
    if (word in GENERIC_GROUP_NOUNS and before is not None and before in at
            and at[before].label_ != PERSON):
        return at[before]  # "X (XA), a separatist group led by P" (the same, read leftwards)
    if token.tag_ in ("WDT", "WP"):
        # "X, which …" / "X and Y, both of which …": the noun the relative clause is on
        for above in token.ancestors:
            if above.dep_ == "relcl":
                return _mention(above.head, at, depth + 1)
    for child in token.children:
        # "an armed group calling itself X", "a faction known as X"
        if child.dep_ == "acl" and lemma(child) in NAMING:
            for name in child.subtree:
                if name.i in at and name.dep_ in ("oprd", "pobj", "attr", "dobj"):
                    return at[name.i]
    if any(c.tag_ == "WP$" for c in token.children) and token.head.dep_ == "relcl":
        return _mention(token.head.head, at, depth + 1)  # "the group, whose fighters …"
    return None


def _against(token: Token) -> bool:
    """"the anti-Taliban movement": the name is what the noun opposes."""
    doc = token.doc
    i = min(token.left_edge.i, token.i)
    while i > 0 and doc[i - 1].pos_ == "PROPN":
        i -= 1
    return any(doc[j].lower_ in ("anti", "counter", "pro") and doc[j + 1].text == "-"
               for j in range(max(0, i - 2), i))


def _left_neighbour(token: Token) -> int | None:
    """The last token of the phrase before ", <token's phrase>", past a "(ACRONYM)"."""
    i = token.left_edge.i - 1
    doc = token.doc
    if i < 1 or doc[i].text != ",":
        return None
    i -= 1
    if doc[i].text == ")":
        while i > 0 and doc[i].text != "(":
            i -= 1
        i -= 1
    return i if i >= 0 else None


def _role_mentions(roles: dict[str, list[Token]], names: tuple[str, ...],
                   at: dict[int, Span]) -> list[Span]:
    out: list[Span] = []
    for name in names:
        for token in roles.get(name, ()):
            span = _mention(token, at)
            if span is None:
                continue
            found = [span]
            if token.i not in at:
                # reached indirectly ("militants from X and Y"): X's conjuncts too
                found += [at[c.i] for c in expand_conj(span.root)[1:] if c.i in at]
            for each in (e for f in found for e in _expand_plural(f)):
                if all(each.kb_id_ != s.kb_id_ for s in out):
                    out.append(each)
    return out


def _expand_plural(span: Span) -> list[Span]:
    """A plural anaphor ("the two groups", "they") stands for each of its antecedents."""
    if span.id_ != "coref+":
        return [span]
    ids = (span.doc._.gk_plural or {}).get(span.start, [span.kb_id_])
    entities = span.doc._.gk_entities or {}
    return [Span(span.doc, span.start, span.end,
                 label=entities[i].type.value if i in entities else span.label_,
                 kb_id=i, span_id="coref") for i in ids]


def _topic(groups: list[Span], trigger: Token) -> Span | None:
    """The group the passage is about at the trigger (see mentions.salient), among those
    named in this sentence and the two before it."""
    numbers = sentence_numbers(trigger.doc)
    here = numbers[trigger.i]
    # groups are in document order: take those ending before the trigger, newest first
    end = bisect.bisect_left([g.start for g in groups], trigger.i)
    window: list[Span] = []
    for group in reversed(groups[:end]):
        if here - numbers[group.start] > 2:
            break
        if group.end <= trigger.i:
            window.append(group)
    return salient(window[::-1], trigger)


def _pairs(pattern: Pattern, roles: dict[str, list[Token]], at: dict[int, Span],
           topic: Span | None = None) -> Iterator[tuple[Span, Span, bool]]:
    subjects = [s for s in _role_mentions(roles, pattern.subject, at)
                if s.label_ in pattern.types[0]]
    objects = [o for o in _role_mentions(roles, pattern.object, at)
               if o.label_ in pattern.types[1]]
    if pattern.relation is Relation.OPERATES_IN:
        # "Malian soldiers" names a state's troops, not a place
        objects = _most_specific([o for o in objects if o.root.dep_ != "amod"])
    implicit = False
    # an object slot filled by a real noun phrase ("a faction headed by P") is not empty
    filled = any(t.pos_ == "PROPN" or any(c.dep_ in ("det", "poss") for c in t.children)
                 for name in pattern.object for t in roles.get(name, ()))
    if not objects and not filled and pattern.implicit_object and topic is not None and subjects:
        objects = [topic] if topic.label_ in pattern.types[1] else []
        implicit = True
    for subj in subjects:
        for obj in objects:
            yield subj, obj, implicit
    if pattern.relation.symmetric and not objects:
        within = [s for s in _role_mentions(roles, pattern.pair_within, at)
                  if s.label_ in pattern.types[0]]
        for i, first in enumerate(within):
            for second in within[i + 1:]:
                yield first, second, False


FACILITIES = frozenset({"university", "college", "school", "hotel", "mall", "airport", "embassy",
                        "church", "mosque", "market", "stadium", "hospital", "barracks",
                        "prison", "academy", "station", "bridge", "base", "camp", "outpost",
                        "checkpoint", "office", "headquarters", "compound"})


def _most_specific(places: list[Span]) -> list[Span]:
    """Drop a place that only locates another one named with it ("Lashio, the largest
    town in northern Shan State"; "Thailand's provinces of Yala and Pattani"). A
    building is not a place of that kind: the town it stands in is kept."""
    # a name compounded with a place noun stands for the whole phrase ("the Bastar region")
    anchors = {(p.root.head.i if p.root.dep_ == "compound" else p.root.i) for p in places
               if p[-1].lower_ not in FACILITIES}

    def inside_another(place: Span) -> bool:
        node = place.root.head if place.root.dep_ == "compound" else place.root
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head  # "Yala, Pattani and Narathiwat" are side by side
        for _ in range(10):
            if node.head.i == node.i:
                return False
            node = node.head
            if node.i in anchors:
                return True
        return False

    keep = [p for p in places if not inside_another(p)]
    # "Thailand's provinces of Yala": the possessor only frames the places after it
    keep = [p for p in keep if not (p.root.dep_ == "poss" and any(
        o is not p and p.root.head.i in (o.root.head.i, o.root.head.head.i) for o in keep))]
    return keep or places[:1]


def _prefer_leader(candidates: list[Candidate]) -> list[Candidate]:
    """A person who leads or founded a group is not also listed as a member."""
    leaders = {(c.subject, c.object) for c in candidates
               if c.relation in (Relation.LEADER_OF, Relation.FOUNDER_OF)}
    return [c for c in candidates
            if not (c.relation is Relation.MEMBER_OF and (c.subject, c.object) in leaders)]


ACCUSATIONS = frozenset({"accusation", "allegation", "claim", "charge", "report", "assertion",
                         "suggestion", "account"})
DENYING = frozenset({"deny", "reject", "dismiss", "refute", "rebut", "disavow", "repudiate"})


def _denied_accusations(doc: Doc, candidates: list[Candidate],
                        at: dict[int, Span]) -> list[Candidate]:
    """"Burundi accuses Rwanda of arming RED-Tabara. Rwanda rejects the accusation.": a
    party's denial of an accusation or report negates the claims about it in that
    sentence and the one before."""
    from dataclasses import replace

    denials: list[tuple[int, int, set[str]]] = []
    for token in doc:
        if lemma(token) not in DENYING or not any(
                c.dep_ == "dobj" and lemma(c) in ACCUSATIONS for c in token.children):
            continue
        deniers = {at[t.i].kb_id_ for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                   for t in c.subtree if t.i in at}
        sent = token.sent
        before = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        denials.append((before, sent.end_char, deniers))
    if not denials:
        return candidates
    out = []
    for c in candidates:
        if c.modality is not Modality.NEGATED and any(
                start <= c.start < end and {c.subject, c.object} & who
                for start, end, who in denials):
            c = replace(c, modality=Modality.NEGATED)
        out.append(c)
    return out


def _possessive_leaders(sent: Span, mentions: list[Span],
                        at: dict[int, Span]) -> Iterator[Candidate]:
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


def _through_people(candidates: list[Candidate]) -> list[Candidate]:
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
