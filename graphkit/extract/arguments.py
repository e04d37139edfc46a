"""Which mention fills a role: the token itself, or the name it stands for ("the
Islamists of Ansar Dine", "its fighters", "a group calling itself X", "X, a group led by
P"), and the most specific of several places.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from graphkit.extract.candidates import PERSON
from graphkit.extract.roles import expand_conj, lemma

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


def role_mentions(roles: dict[str, list[Token]], names: tuple[str, ...],
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
            for each in (e for f in found for e in expand_plural(f)):
                if all(each.kb_id_ != s.kb_id_ for s in out):
                    out.append(each)
    return out


def expand_plural(span: Span) -> list[Span]:
    """A plural anaphor ("the two groups", "they") stands for each of its antecedents."""
    if span.id_ != "coref+":
        return [span]
    ids = (span.doc._.gk_plural or {}).get(span.start, [span.kb_id_])
    entities = span.doc._.gk_entities or {}
    return [Span(span.doc, span.start, span.end,
                 label=entities[i].type.value if i in entities else span.label_,
                 kb_id=i, span_id="coref") for i in ids]


FACILITIES = frozenset({"university", "college", "school", "hotel", "mall", "airport", "embassy",
                        "church", "mosque", "market", "stadium", "hospital", "barracks",
                        "prison", "academy", "station", "bridge", "base", "camp", "outpost",
                        "checkpoint", "office", "headquarters", "compound"})


def most_specific(places: list[Span]) -> list[Span]:
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
