"""Candidate mention pairs and the features the relation model reads from them.

Every two mentions of different entities in one sentence form a pair, read in text
order. (A mention may be an anaphor — "the group", "its leader" — resolved by the
mention layer, so ties stated across sentences are pairs too.) Features are strings:
the entity types, the dependency path between the two mentions, the words between and
around them, and what the hand-written patterns said about the pair. The modality
features describe the scope above the pair's lowest common governor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from graphkit.extract.arguments import expand_plural
from graphkit.extract.modality import HEDGES, NEGATORS, modality_of
from graphkit.extract.roles import lemma

# Parts of speech whose lemma is kept on a path; others are kept as their tag.
_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "ADP", "AUX", "PART", "ADV"})
_CUES = (HEDGES | NEGATORS | {"deny", "reject", "refuse", "dismiss", "rule", "false",
                              "unconfirmed", "question", "whether", "if", "unless"})
MAX_BETWEEN = 15
MAX_PAIRS = 60


@dataclass(frozen=True)
class Pair:
    """Two mentions of different entities in one sentence, first before second."""

    first: Span
    second: Span
    sentence: Span

    @property
    def governor(self) -> Token:
        """The lowest token that governs both mentions (where the tie is stated)."""
        return _path(self.first.root, self.second.root)[1]


def sentence_pairs(sentence: Span, mentions: list[Span]) -> Iterator[Pair]:
    """Every two mentions of different entities in the sentence, nearest first up to
    MAX_PAIRS (a list of forty names relates few of them to each other)."""
    inside = sorted((m for s in mentions if sentence.start <= s.start < sentence.end
                     for m in expand_plural(s)), key=lambda s: (s.start, s.end))
    pairs = [Pair(a, b, sentence) for i, a in enumerate(inside) for b in inside[i + 1:]
             if a.kb_id_ != b.kb_id_ and b.start >= a.end]
    pairs.sort(key=lambda p: p.second.start - p.first.end)
    yield from sorted(pairs[:MAX_PAIRS], key=lambda p: (p.first.start, p.second.start))


def _path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]]:
    """Tokens from ``a`` up to the common governor, the governor, and from it down to
    ``b`` (both lists exclude the governor)."""
    up = [a, *a.ancestors]
    where = {t.i: k for k, t in enumerate(up)}
    down = [b]
    node = b
    while node.i not in where and node.head.i != node.i:
        node = node.head
        down.append(node)
    if node.i not in where:  # different trees: join at the first's root
        return up[:-1], up[-1], down
    return up[:where[node.i]], node, down[:-1][::-1]


def _word(token: Token) -> str:
    return lemma(token) if token.pos_ in _CONTENT else token.pos_


def path_features(pair: Pair) -> list[str]:
    """The dependency path: labels up from the first mention to the governor, its word,
    labels down to the second; the words on the way."""
    up, top, down = _path(pair.first.root, pair.second.root)
    inner = up[1:] + down[:-1]
    mention_roots = (pair.first.root.i, pair.second.root.i)
    top_word = "SELF" if top.i in mention_roots else _word(top)
    deps_up = "/".join(t.dep_ for t in up) or "-"
    deps_down = "/".join(t.dep_ for t in down) or "-"
    first_dep = up[0].dep_ if up else "-"
    last_dep = down[-1].dep_ if down else "-"
    feats = [f"pd={deps_up}^{deps_down}", f"pt={top_word}",
             f"pt2={top_word}|{first_dep}|{last_dep}", f"plen={min(len(inner) + 1, 8)}"]
    if len(inner) <= 5:
        lex = ([first_dep] + [f"{_word(t)}/{t.dep_}" for t in up[1:]] + [top_word]
               + [f"{t.dep_}/{_word(t)}" for t in down[:-1]] + [last_dep])
        feats.append("p=" + " ".join(lex))
    feats += [f"pw={_word(t)}" for t in inner if t.pos_ in _CONTENT]
    return feats


def surface_features(pair: Pair) -> list[str]:
    doc = pair.first.doc
    between = doc[pair.first.end:pair.second.start]
    feats = [f"bn={min(len(between), MAX_BETWEEN + 1)}"]
    if len(between) <= MAX_BETWEEN:
        words = [lemma(t) for t in between if not t.is_punct or t.text in ",;:(-"]
        feats += [f"bw={w}" for w in words]
        feats += [f"bb={a}_{b}" for a, b in zip(words, words[1:], strict=False)]
        feats.append("bs=" + "_".join(words) if len(words) <= 4 else "bs=LONG")
    start, end = pair.first.start, pair.second.end
    feats += [f"l1={lemma(doc[start - 1]) if start > pair.sentence.start else 'BOS'}",
              f"r1={lemma(doc[end]) if end < pair.sentence.end else 'EOS'}",
              f"d1={pair.first.root.dep_}:{lemma(pair.first.root.head)}",
              f"d2={pair.second.root.dep_}:{lemma(pair.second.root.head)}"]
    between_mentions = sum(1 for t in between if t.ent_iob_ == "B")
    feats.append(f"bm={min(between_mentions, 3)}")
    return feats


def pair_features(pair: Pair, found: list[str]) -> list[str]:
    """All features of a pair; ``found`` are the classes the hand-written patterns gave
    it (:func:`graphkit.extract.scoring.pattern_labels`)."""
    types = f"{pair.first.label_}|{pair.second.label_}"
    base = path_features(pair) + surface_features(pair)
    feats = [f"t={types}", *base]
    feats += [f"{types}&{f}" for f in base if f.startswith(("pt=", "pd=", "bs=", "pt2="))]
    for side, span in (("1", pair.first), ("2", pair.second)):
        feats.append(f"src{side}={span.id_}")
        # what the mention is to its governor, with the other's type ("P, leader of …")
        other = pair.second if side == "1" else pair.first
        feats.append(f"r{side}={span.root.dep_}:{lemma(span.root.head)}|{other.label_}")
        # content words just after the mention ("Norway and Qatar as guarantors")
        after = span.doc[span.end:min(span.end + 4, pair.sentence.end)]
        feats += [f"w{side}={lemma(t)}" for t in after if t.pos_ in ("NOUN", "VERB")]
    feats += [f"pat={label}" for label in found] or ["pat=NONE"]
    feats += [f"pat={label}&{types}" for label in found]
    return feats


def modality_features(pair: Pair) -> list[str]:
    """What governs the pair's tie: negators, hedges, conditions, questions."""
    top = pair.governor
    sent = pair.sentence
    feats = [f"rule={modality_of(top, sent).value}"]
    if sent.text.rstrip().endswith("?"):
        feats.append("question")
    node, depth = top, 0
    while depth < 6:
        for child in node.children:
            if child.dep_ in ("neg", "aux", "advmod", "mark", "auxpass"):
                feats.append(f"g{min(depth, 2)}:{child.dep_}={lemma(child)}")
        feats.append(f"gov{min(depth, 2)}={lemma(node)}")
        if node.head.i == node.i:
            break
        node, depth = node.head, depth + 1
    span = pair.first.doc[pair.first.start:pair.second.end]
    feats += [f"in={lemma(t)}" for t in span if lemma(t) in _CUES]
    feats += [f"sent={lemma(t)}" for t in sent if lemma(t) in _CUES]
    return feats
