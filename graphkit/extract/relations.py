"""Relation patterns (data in ``patterns.json``) applied to parsed sentences.

For each trigger word a pattern names, :mod:`graphkit.extract.roles` finds the tokens
in the roles the pattern asks for; each token is mapped to the mention it belongs to;
type constraints filter the pairs; :mod:`graphkit.extract.modality` reads modality and
year at the trigger. The result is a list of :class:`Candidate` records, plain data.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from graphkit.extract.anaphora import salient, sentence_numbers
from graphkit.extract.arguments import most_specific, role_mentions
from graphkit.extract.candidates import (
    TYPE_GROUPS,
    Candidate,
    denied_accusations,
    possessive_leaders,
    prefer_leader,
    through_people,
)
from graphkit.extract.modality import modality_of, year_of
from graphkit.extract.pattern_schema import PatternError, problems
from graphkit.extract.roles import effective_pos, lemma, roles_for
from graphkit.vocab import EntityType, Modality, Relation

PATTERNS_PATH = Path(__file__).parent / "patterns.json"


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
    """Read and check a pattern file (:mod:`graphkit.extract.pattern_schema`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise PatternError(f"cannot read relation patterns {path}: {err}") from None
    faults = problems(data)
    if faults:
        raise PatternError(f"{path}: " + "; ".join(faults))
    return [Pattern.from_data(row) for row in data["patterns"]]


def _phrase_pattern(phrase: str) -> list[dict[str, Any]]:
    """A Matcher pattern for a trigger of several words ("safe haven"): the words as
    written, the last one by lemma, so inflections match too."""
    words = phrase.split()
    return [{"LOWER": w.lower()} for w in words[:-1]] + [
        {"LEMMA": {"IN": [words[-1], words[-1].title()]}}]


def _hyphen_pattern(phrase: str) -> list[dict[str, Any]]:
    """A Matcher pattern for a hyphenated trigger in any inflection ("co-operate" finds
    "co-operated", "co-operation"): the tokenizer splits such words at the hyphens."""
    words = phrase.replace("-", " - ").split()
    stem = re.escape(words[-1].rstrip("e"))
    return [{"LOWER": w.lower()} for w in words[:-1]] + [{"LOWER": {"REGEX": f"^{stem}"}}]


class RelationReader:
    """Applies the patterns to a document whose mentions are set."""

    def __init__(self, patterns: list[Pattern], vocab: Vocab) -> None:
        from spacy.matcher import Matcher

        self.patterns = patterns
        self.by_lemma: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            for word in pattern.lemmas:
                self.by_lemma.setdefault(word, []).append(pattern)
        # Triggers the tokenizer splits ("co-operation", "safe haven") are found by the
        # Matcher; the phrase's last word then stands for the phrase ("co-operation" is
        # no "operation") and its other words trigger nothing.
        self.phrases = Matcher(vocab)
        for word in self.by_lemma:
            if "-" in word:
                self.phrases.add(word, [_hyphen_pattern(word)])
            elif " " in word:
                self.phrases.add(word, [_phrase_pattern(word)])

    def _triggers(self, doc: Doc) -> dict[int, str | None]:
        """Token index → phrase (None: no trigger) for every trigger of several words."""
        found: dict[int, str | None] = {}
        for match_id, start, end in self.phrases(doc):
            word = doc.vocab.strings[match_id]
            if "-" in word and any(t.whitespace_ for t in doc[start:end - 1]):
                continue  # "co - operate" with spaces is not the word
            found.update({i: None for i in range(start, end - 1)})
            # "co-operation" matches both "co-operate" and "co-operation": the longer wins
            if len(word) > len(found.get(end - 1) or ""):
                found[end - 1] = word
        return found

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
        phrases = self._triggers(doc)
        for sent in doc.sents:
            if numbers[sent.start] not in with_mentions:
                continue
            for token in sent:
                if token.i in phrases:
                    phrase = phrases[token.i]
                    patterns = self.by_lemma.get(phrase) if phrase else None
                else:
                    patterns = self.by_lemma.get(lemma(token)) or self.by_lemma.get(
                        token.lower_)
                if patterns and token.i not in at:
                    # the passage's group is needed only by patterns with an implicit object
                    topic = _topic(groups, token) if any(
                        p.implicit_object for p in patterns) else None
                    out.extend(self._at_trigger(token, sent, patterns, at, topic))
            out.extend(possessive_leaders(sent, at))
        out = denied_accusations(doc, out, at)
        return prefer_leader(through_people(list(dict.fromkeys(out))))

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
    subjects = [s for s in role_mentions(roles, pattern.subject, at)
                if s.label_ in pattern.types[0]]
    objects = [o for o in role_mentions(roles, pattern.object, at)
               if o.label_ in pattern.types[1]]
    if pattern.relation is Relation.OPERATES_IN:
        # "Malian soldiers" names a state's troops, not a place
        objects = most_specific([o for o in objects if o.root.dep_ != "amod"])
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
        within = [s for s in role_mentions(roles, pattern.pair_within, at)
                  if s.label_ in pattern.types[0]]
        for i, first in enumerate(within):
            for second in within[i + 1:]:
                yield first, second, False
