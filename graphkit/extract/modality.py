"""Modality and year of a relation read at a trigger word.

Modality is decided by the trigger's own modifiers and those of the clauses that
govern it: a negation, a denial or refusal, a modal verb, a hedge, a condition or a
question. Scope stops at coordination: "X attacked Y but never allied with Z" negates
only the alliance.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from graphkit.vocab import Modality

NEGATORS = frozenset({"not", "never", "n't", "no", "neither", "nor", "without", "nothing",
                      "none", "nobody", "cannot"})
# Governing verbs that deny or undo the relation below them.
DENIALS = frozenset({"deny", "reject", "dismiss", "refute", "disavow", "refuse", "decline",
                     "renounce", "disown", "repudiate", "rebuff", "sever", "cut", "end",
                     "abandon", "halt", "suspend", "stop", "cease", "fail", "disprove",
                     "contradict", "distance", "break", "rule", "oppose"})
# Verbs that undo a tie only when the tie is their object ("severed ties", "ended the
# truce"), not when they govern another clause ("broke away … to form X").
UNDOING = frozenset({"sever", "cut", "end", "break", "abandon", "halt", "suspend", "stop",
                     "cease", "quit", "rule"})
# Governing words that make the relation a possibility rather than a fact.
HEDGES = frozenset({"may", "might", "could", "would", "should", "can", "shall", "must",
                    "reportedly", "allegedly", "possibly", "perhaps", "likely", "probably",
                    "apparently", "purportedly", "supposedly", "potentially", "maybe",
                    "allege", "alleged", "accuse", "suspect", "suspected", "speculate",
                    "speculation", "consider", "plan", "intend", "hope", "aim", "want",
                    "threaten", "propose", "rumour", "rumor", "rumoured", "rumored",
                    "expect", "predict", "fear", "whether", "if", "unless", "possible",
                    "potential", "prospect", "possibility", "seek", "try", "attempt",
                    "explore", "discuss", "mull", "weigh", "contemplate", "offer",
                    "ask", "urge", "call", "demand", "believe", "think", "describe",
                    "regard", "claim", "reported", "unconfirmed", "question", "wonder",
                    "eye", "court", "invite", "prepare", "will", "'ll", "going", "about",
                    "seem", "appear", "suggest", "assess", "estimate", "allegation",
                    "allegations", "reports", "brand", "label", "view"})
# "believed"/"regarded" hedge only as passives ("is believed to", "is regarded as");
# active "officials believe" stays a report.
# Intention verbs hedge what they take as an infinitive ("plans to ally"), not their
# object ("helped plan the bombings").
INTENTIONS = frozenset({"plan", "intend", "hope", "aim", "want", "seek", "try", "attempt",
                        "threaten", "prepare", "propose", "consider", "expect", "offer"})
PASSIVE_ONLY = frozenset({"think", "view", "brand", "label", "consider"})
# A state's characterisation of a rival ("Ankara regards the YPG as …", "what India
# described as …") is its claim, a hedge; the same words from officials report.
ATTRIBUTIVE = frozenset({"regard", "describe", "view", "brand", "label", "consider", "call",
                         "characterise", "characterize", "portray", "deem"})
# States of knowledge that put what they govern in question ("it is unclear how they
# will stop X operating", "whether X ever allied with Y"): a negation inside is part of
# the question, not a denial.
UNCERTAIN = frozenset({"unclear", "uncertain", "unknown", "doubtful", "unsure"})
YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Dependencies through which a governing word's negation or hedge reaches the trigger.
# Appositions and relative clauses are not among them: "a rebel group fighting X" or
# "which has fought X since 1984" describe, whatever the sentence around them claims.
SCOPE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "acl", "pcomp", "pobj", "prep",
                        "dobj", "attr", "oprd", "acomp", "nsubj", "nsubjpass",
                        "compound", "amod", "poss", "agent", "dative", "npadvmod"})


def _governors(trigger: Token) -> list[Token]:
    """The trigger and the tokens above it, up to a coordination boundary."""
    chain = [trigger]
    token = trigger
    while token.head.i != token.i and len(chain) < 12 and (token.dep_ in SCOPE_DEPS or (
            # "accused of sheltering and arming X": a verb sharing its first conjunct's
            # subject shares its scope; a clause with a subject of its own does not
            token.dep_ == "conj" and token.pos_ == "VERB" and token.head.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
            and token.head.dep_ in ("pcomp", "xcomp", "ccomp"))):
        if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("NOUN", "PROPN", "PRON"):
            # "their leader refused to …": the verb's polarity is about the predicate,
            # not about the noun phrase that is its subject.
            break
        token = token.head
        chain.append(token)
    return chain


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) or (
        token.tag_ == "VBN" and token.dep_ in ("acl", "amod"))


def _named_subject(verb: Token) -> bool:
    """A state characterising a rival ("Ankara regards …", "what India described as …")
    makes a claim; officials, agencies and experts describing a group report."""
    return any(c.dep_ == "nsubj" and c.ent_type_ == "GPE" for c in verb.children)


def modality_of(trigger: Token, sentence: Span) -> Modality:
    """Negated, hypothetical or asserted, read from the trigger's scope."""
    hypothetical = sentence.text.rstrip().endswith("?")
    chain = _governors(trigger)
    for depth, token in enumerate(chain):
        for child in token.children:
            word = child.lower_
            if child.dep_ == "neg" or (word in NEGATORS and child.dep_ in (
                    "det", "advmod", "neg", "preconj", "cc") and depth <= 2):
                return _negated_unless_questioned(token)
            if word in HEDGES and child.dep_ in ("aux", "advmod", "mark", "amod", "prep"):
                hypothetical = True
        if depth == 0:
            continue
        lemma = token.lemma_.lower()
        below = chain[depth - 1]
        if lemma in DENIALS and token.pos_ == "VERB" and (
                lemma not in UNDOING or (depth == 1 and below.dep_ == "dobj")):
            return _negated_unless_questioned(token)
        if lemma in INTENTIONS and below.dep_ not in ("xcomp", "ccomp", "acl"):
            continue
        if lemma in ATTRIBUTIVE and not _is_passive(token):
            hypothetical = hypothetical or _named_subject(token)
        elif lemma in HEDGES and (lemma not in PASSIVE_ONLY or _is_passive(token)):
            hypothetical = True
    return Modality.HYPOTHETICAL if hypothetical else Modality.ASSERTED


def _negated_unless_questioned(negated: Token) -> Modality:
    """Negated, unless a clause above the negated word puts it in question (through
    coordination too: "it is unclear how they will stop X … and stop Y …")."""
    for token in negated.ancestors:
        # "what is unclear is how …": the uncertainty may sit in the clausal subject
        frames = [token, *(c for c in token.children if c.dep_ == "csubj")]
        if any((child.lower_ in UNCERTAIN and child.dep_ in ("acomp", "attr", "amod")) or (
                child.lower_ == "whether" and child.dep_ == "mark")
               for frame in frames for child in frame.children):
            return Modality.HYPOTHETICAL
    return Modality.NEGATED


def _same_clause(token: Token, trigger: Token) -> bool:
    """Whether ``token`` hangs off the trigger's own clause, not a nested one."""
    anchor = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    node = token
    for _ in range(12):
        if node.i in (trigger.i, anchor.i):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.i != anchor.i:
            return False
    return False


REPORTING = frozenset({"report", "say", "tell", "claim", "state", "add", "warn", "note",
                       "write", "confirm", "reveal", "argue", "assess", "estimate"})
# "the following year", "two years later", "that same year": a year counted from the
# latest year the text gave before.
RELATIVE_YEAR = re.compile(
    r"\b(?:(?:the )?(?P<next>following|next) (?:year|spring|summer|autumn|fall|winter|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|(?P<n>a|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|\d+) years? later|(?:that|the same|that same) year)\b", re.IGNORECASE)
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` (within a few steps), if any."""
    node = token
    for _ in range(8):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _reported_elsewhere(token: Token, trigger: Token) -> bool:
    """Whether a date belongs to a reporting verb whose clause the trigger is not in."""
    verb = _governing_verb(token)
    return verb is not None and verb.lemma_.lower() in REPORTING and (
        trigger not in verb.subtree)


def year_of(trigger: Token, sentence: Span) -> int | None:
    """The year the sentence gives, preferring one in the trigger's own clause."""
    candidates: list[tuple[int, int]] = []
    for token in sentence:
        match = YEAR.fullmatch(token.text) or YEAR.match(token.text)
        if match is None or token.ent_type_ not in ("DATE", ""):
            continue
        if _reported_elsewhere(token, trigger):
            continue  # "…, although experts reported in 2024 that …": when it was said
        inside = 0 if _same_clause(token, trigger) else 1
        if inside and _own_clause_verb(token, trigger):
            continue  # the date of another event in the sentence ("after police captured
            #          him in 1992")
        candidates.append((inside * 1000 + abs(token.i - trigger.i), int(match.group(1))))
    if not candidates:
        return _relative_year(sentence)
    return min(candidates)[1]


def _own_clause_verb(token: Token, trigger: Token) -> bool:
    """Whether the date hangs off a verb of its own that neither contains nor is
    contained by the trigger's clause."""
    verb = _governing_verb(token)
    return verb is not None and trigger not in verb.subtree and (
        verb not in trigger.head.subtree)


def _relative_year(sentence: Span) -> int | None:
    match = RELATIVE_YEAR.search(sentence.text)
    if match is None:
        return None
    # years before this sentence, from the tokens (doc.text is rebuilt on every access)
    earlier = [int(m.group(1)) for t in sentence.doc[:sentence.start]
               for m in [YEAR.fullmatch(t.text) or YEAR.match(t.text)] if m]
    if not earlier:
        return None
    if match.group("next"):
        return earlier[-1] + 1
    if match.group("n"):
        word = match.group("n").lower()
        return earlier[-1] + (int(word) if word.isdigit() else NUMBER_WORDS[word])
    return earlier[-1]
