"""Finding names in text: gazetteer spellings, name cues ("… Front", "Jaish-…"),
acronyms defined in parentheses, short and alternative names ("known as …").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from graphkit.extract.lexicon import (
    ACRONYM_DEF,
    ALIAS_CUES,
    CONNECTORS,
    CREEDS,
    DEMONYMS,
    GROUP_CUES,
    GROUPISH,
    LOWER_GROUP_NOUNS,
    MONTHS,
    ORG_CUES,
    PEOPLE_OF,
    PLACE_HEADS,
    STATE_FORCE_NOUNS,
)
from graphkit.gazetteer import normalize
from graphkit.model import Entity, slugify
from graphkit.vocab import EntityType

if TYPE_CHECKING:
    from graphkit.extract.mentions import Registry


def strip_edges(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive or punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].lower_ in ("'s", "’s", "'") or doc[end - 1].is_punct):
        end -= 1
    return start, end


def unique_name_parts(entities: list[Entity]) -> dict[str, Entity]:
    """Each word of a known person's names that belongs to that person alone."""
    owners: dict[str, set[str]] = {}
    by_id = {}
    for entity in entities:
        if entity.type != EntityType.PERSON:
            continue
        by_id[entity.id] = entity
        for name in (entity.label, *entity.aliases):
            for word in name.replace("-", " ").split():
                if len(word) >= 5 and word[:1].isupper():
                    owners.setdefault(word.lower(), set()).add(entity.id)
    return {w: by_id[next(iter(ids))] for w, ids in owners.items() if len(ids) == 1}


def is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(form) <= 5 and bool(letters) and all(c.isupper() for c in letters)


def extend_name_left(doc: Doc, start: int) -> int:
    """Take in capitalised name parts the NER left out ("the cleric [Asim] Umar")."""
    while start > 0:
        prev = doc[start - 1]
        if (prev.pos_ == "PROPN" and prev.text[:1].isupper() and prev.dep_ == "compound"
                and prev.ent_type_ in ("", "PERSON")
                and prev.lower_ not in DEMONYMS):
            start -= 1
        else:
            break
    return start


def extend_name_right(doc: Doc, start: int, end: int) -> int:
    """"Mai-Mai Kifaru": a name the NER cut before the noun its words modify."""
    while end < len(doc):
        if (doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN"
                and doc[end + 1].text[:1].isupper()):
            end += 2  # "CSP-DPA"
            continue
        if doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and (
                doc[end - 1].dep_ in ("compound", "nmod") and doc[end - 1].head.i == end) and (
                doc[end].lower_ not in GROUP_CUES | STATE_FORCE_NOUNS | PLACE_HEADS | ORG_CUES):
            end += 1
            continue
        break
    return end


def _name_like(token: Token) -> bool:
    if token.lower_ in MONTHS and (token.ent_type_ == "DATE" or token.lower_ != "may"):
        return False
    text = token.text
    return (text[:1].isupper() and any(c.isalpha() for c in text)) or token.lower_ in CONNECTORS


def _proper_name(token: Token) -> bool:
    """A capitalised word that is a name, not a sentence opener or a nationality."""
    return (token.pos_ == "PROPN" and not token.is_sent_start and token.ent_type_ != "NORP"
            and token.lower_ not in DEMONYMS and token.lower_ not in CREEDS
            and not token.lower_.endswith(("ist", "ists")))


def cue_names(doc: Doc, known: set[int]) -> list[tuple[int, int]]:
    """Capitalised name runs that contain a group cue word ("Katibat al-Furqan")."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        # A name starts with a capital, or with an Arabic article before a capitalised
        # word ("al-Qaeda in Yemen").
        article = doc[i].lower_ in ("al", "el", "ad", "ash", "as") and i + 2 < len(doc) and (
            doc[i + 1].text == "-" and doc[i + 2].text[:1].isupper())
        word = doc[i].text
        if not ((word[:1].isupper() and word.replace("'", "").replace("’", "").isalpha())
                or article):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and _name_like(doc[j]) and not doc[j].is_sent_start and not (
                # "attacked the Kelvar Front in Osk": a name that ends in a cue word ends
                # there; the place after "in" is where (known franchises such as "al-Qaeda
                # in Yemen" come from the gazetteer)
                doc[j].lower_ == "in" and doc[j - 1].lower_ in GROUP_CUES and j - 1 > i):
            j += 1
        for start, end in _split_coordinated(doc, i, j, known):
            span = _cue_span(doc, start, end)
            if span is not None:
                out.append(span)
        i = j
    return out


def _split_coordinated(doc: Doc, start: int, end: int,
                       known: set[int]) -> list[tuple[int, int]]:
    """"Katibat al-Nur and the Coast Brigade" is two names; "Group for Preaching and
    Combat" is one: split at "and" only when both sides read as group names."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ not in ("and", "'s", "’s"):
            continue
        left = {t.lower_ for t in doc[start:k]}
        right = [t for t in doc[k + 1:end] if t.text[:1].isupper()]
        after = k + 2 if doc[k + 1].lower_ == "the" else k + 1
        if doc[k].lower_ in ("'s", "’s") and k - 1 in known:
            return [(start, k), *_split_coordinated(doc, k + 1, end, known)]
        if (left & GROUP_CUES and (doc[k + 1].lower_ == "the" or (
                len(right) >= 2 and {t.lower_ for t in right} & GROUP_CUES))) or (
                k - 1 in known or after in known):
            return [(start, k), *_split_coordinated(doc, k + 1, end, known)]
    return [(start, end)]


def _cue_span(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while end > start and doc[end - 1].lower_ in CONNECTORS:
        end -= 1
    start, end = strip_edges(doc, start, end)
    # A capitalised sentence opener ("Renamed …") or a plural noun ("Islamists of …")
    # is not part of a group's name.
    # "Fighters of the Red Delta Army": people of a group are not part of its name
    while start + 1 < end and doc[start].lower_ in PEOPLE_OF and doc[start + 1].lower_ in (
            "of", "from"):
        start += 2
    start, end = strip_edges(doc, start, end)
    while start < end and doc[start].lower_ not in GROUP_CUES and (
            doc[start].pos_ != "PROPN" or doc[start].lower_.endswith(("ists", "ites"))) and not (
            doc[start].lower_ in CONNECTORS and start + 1 < end and doc[start + 1].text == "-"):
        start += 1
    start, end = strip_edges(doc, start, end)
    if start >= end:
        return None
    words = [t.lower_ for t in doc[start:end]]
    capitals = sum(1 for t in doc[start:end] if t.text[:1].isupper())
    if capitals == 1 and end < len(doc) and doc[end].lower_ in LOWER_GROUP_NOUNS and (
            _proper_name(doc[start])):
        return start, end + 1  # "the Maute group", "the Haqqani network"
    named = end + 2 < len(doc) and doc[end].text == "(" and doc[end + 1].text.isupper()
    if capitals >= 2 and any(w in GROUP_CUES for w in words) and (named or not (
            words[0] in DEMONYMS and words[-1] in STATE_FORCE_NOUNS)):
        return start, end
    return None


def add_acronyms(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"Long Name (LN)": later bare "LN" tokens refer to the same entity."""
    by_end = {s.end: s for s in spans}
    for match in ACRONYM_DEF.finditer(doc.text):
        inner = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if inner is None:
            continue
        before = by_end.get(inner.start - 1)
        if before is not None and before.kb_id_:
            registry.acronyms[match.group(1)] = before.kb_id_
    if not registry.acronyms:
        return spans
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        target = registry.acronyms.get(token.text)
        if target and token.i not in taken:
            out.append(registry.span(doc, token.i, token.i + 1, registry.entities[target], "gaz"))
        elif target:
            # NER may have tagged the acronym itself as a separate minted entity.
            out = [registry.span(doc, s.start, s.end, registry.entities[target], "gaz")
                   if s.start == token.i and s.end == token.i + 1 and s.kb_id_ != target else s
                   for s in out]
    return sorted(out, key=lambda s: s.start)


def link_short_names(spans: list[Span], registry: Registry) -> list[Span]:
    """A minted one-word person name refers to the latest full name containing it."""
    out: list[Span] = []
    for span in spans:
        entity = registry.entities[span.kb_id_]
        # NER sometimes calls a lone surname an organisation ("Israel killed Sinwar")
        lone = entity.minted and len(span) == 1 and span.id_ == "ner"
        if (entity.type == EntityType.PERSON and entity.minted) or lone:
            words = set(span.text.split())
            for prev in reversed(out):
                prev_entity = registry.entities[prev.kb_id_]
                if (prev_entity.type == EntityType.PERSON and prev.kb_id_ != span.kb_id_
                        and words < set(prev_entity.label.split())):
                    span = registry.span(span.doc, span.start, span.end, prev_entity, "gaz")
                    break
        out.append(span)
    return out


def add_known_as(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"P, known as Q" / "P, alias Q": Q is another name of P's entity."""
    by_token = {i: s for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        if token.lower_ not in ALIAS_CUES:
            continue
        anchor = token.head if token.dep_ in ("acl", "amod", "advcl") else None
        if token.lower_ in ("alias", "aka"):
            anchor = doc[token.i - 2] if token.i >= 2 and doc[token.i - 1].text == "," else None
        owner = by_token.get(anchor.i) if anchor is not None else None
        if owner is None:
            continue
        start = token.i + 1
        if start < len(doc) and doc[start].lower_ == "as":
            start += 1
        end = start
        while end < len(doc) and (doc[end].text[:1].isupper() or doc[end].lower_ in (
                "al", "el", "-", "abu", "bin", "de", "la")) and doc[end].text not in (",", "."):
            end += 1
        while end > start and doc[end - 1].lower_ in ("-", "de", "la"):
            end -= 1
        if end - start < 1:
            continue
        existing = [s for s in out if s.start < end and start < s.end]
        if any(s.start != start or s.end != end or not registry.entities[s.kb_id_].minted
               for s in existing):
            continue  # a different known name is there already
        out = [s for s in out if s not in existing]
        span = registry.span(doc, start, end, registry.entities[owner.kb_id_], "gaz")
        out.append(span)
        by_token.update({i: span for i in range(start, end)})
    return sorted(out, key=lambda s: s.start)


def known_in_the_place(doc: Doc, start: int, end: int, known: set[int],
                        brands: frozenset[str]) -> bool:
    """"the Taliban in the Panjshir", "the Taliban in Afghanistan": a known group followed
    by where it is, not a new name (names of that shape, "al-Qaeda in the Islamic
    Maghreb", "al-Qaeda in Yemen", are in the gazetteer)."""
    for k in range(start + 1, end - 1):
        if doc[k].lower_ == "in" and (doc[k + 1].lower_ == "the" or k + 1 in known) and all(
                i in known for i in range(start, k) if doc[i].text[:1].isupper()):
            # a brand with regional franchises ("al-Qaeda in Saudi Arabia") names one
            return normalize(doc[start:k].text) not in brands
    return False


def add_named_by_noun(doc: Doc, spans: list[Span], registry: Registry) -> list[Span]:
    """"two gang federations, G9 and G-Pep": names set beside a group noun are groups,
    however unusual their form."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out = list(spans)
    for token in doc:
        if token.lower_ not in GROUPISH:
            continue
        for child in token.children:
            if child.dep_ not in ("appos", "conj") or child.pos_ != "PROPN":
                continue
            for name in [child, *[c for c in child.subtree if c.dep_ == "conj"
                                  and c.pos_ == "PROPN"]]:
                start = min(t.i for t in name.subtree if t.i <= name.i and (
                    t.pos_ == "PROPN" or t.text == "-"))
                if any(i in taken for i in range(start, name.i + 1)):
                    continue
                text = doc[start:name.i + 1].text
                entity = registry.finder.gazetteer.lookup(text) or Entity(
                    id=slugify(text), label=text, type=EntityType.MILITANT_GROUP, minted=True)
                out.append(registry.span(doc, start, name.i + 1, entity, "gaz"))
                taken.update(range(start, name.i + 1))
    return sorted(out, key=lambda s: s.start)
