"""The reference gazetteer: one identity per real-world entity, however a text spells it.

The gazetteer file (``ontologies/gazetteer.ttl``) lists entities with their preferred
label, every known spelling as ``skos:altLabel`` and a Wikidata ``owl:sameAs`` where
known. It holds identities only, never relations between entities.

Matching goes through :func:`normalize`, a key that makes transliteration variants
equal, except for acronyms of up to three characters, which match in exact case only
so that the English words "is" and "us" never become the Islamic State or the USA.

>>> gaz = Gazetteer.parse('''
... @prefix gk: <https://w3id.org/graphkit/ontology#> .
... @prefix ent: <https://w3id.org/graphkit/entity/> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... ent:al-qaeda a gk:MilitantGroup ; skos:prefLabel "al-Qaeda" ;
...     skos:altLabel "AQ", "al-Qa'ida" ; owl:sameAs <http://www.wikidata.org/entity/Q34490> .
... ent:united-states a gk:State ; skos:prefLabel "United States" ; skos:altLabel "US" .
... ''')
>>> len(gaz), gaz.lookup("Al Qaida").id, gaz.lookup("al-Qaeda's").qid
(2, 'al-qaeda', 'Q34490')
>>> gaz.lookup("U.S.").label, gaz.lookup("us"), "AQ" in gaz, "aq" in gaz
('United States', None, True, False)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.errors import InputError
from graphkit.model import Entity
from graphkit.vocab import ENTITY_BASE, EntityType

if TYPE_CHECKING:
    from rdflib import Graph

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PREF_LABEL = _SKOS + "prefLabel"
_ALT_LABEL = _SKOS + "altLabel"
_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_WIKIDATA = "http://www.wikidata.org/entity/"
_CLASSES = {str(t.iri): t for t in EntityType}

# Curly quotes, backticks, acute accents and the ayn/hamza half-rings of scholarly
# transliteration all stand for the same apostrophe in names.
_APOSTROPHES = re.compile("[\u2018\u2019\u201b\u02bc\u02bb\u02be\u02bf\u02b9\u2032`\u00b4]")

# Transliteration rewrites, applied in order to the lower-case, space-separated name.
# Each one folds a spelling difference that never distinguishes two real names.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        # Sun-letter assimilation of the Arabic article: ad-Din, ash-Sham, el-Din = al-.
        (r"\b(?:ad|adh|an|ar|as|ash|at|az|el)-", "al-"),
        (r"[^a-z0-9]+", " "),  # hyphens, dots, slashes: word breaks only
        (r"\b[ei]\b", "e"),  # Persian/Urdu izafa: Lashkar-i-Taiba = Lashkar-e-Taiba
        (r"\bh[ei][sz]b", "hizb"),  # Hezb/Hisb/Hizb
        (r"[aou]l+ah\b", "allah"),  # Hezbollah/Hizbullah/Hizballah, Ansarullah
        (r"ae", "ai"),  # Qaeda/Qaida, Daesh/Daish
        (r"ee", "i"),  # Tehreek/Tehrik, Mujahideen/Mujahidin
        (r"oo", "u"),  # Noor/Nur
        (r"ou", "u"),  # Houthi/Huthi, Mourabitoun/Murabitun (French spellings)
        (r"\bm[ou]hh?am+[ae]d\b", "muhamad"),  # Mohammed/Muhammad/Mohamad
        (r"\bm[ou]jah[ei]d", "mujahid"),  # Mojahedin/Mujahidin
        (r"\btaleban\b", "taliban"),
        (r"\bjema", "jama"),  # Jemaah/Jamaah
        (r"\bqods\b", "quds"),
        (r"ah\b", "a"),  # final ta marbuta: Nusrah/Nusra, Daulah/Daula
    )
)
_DOUBLES = re.compile(r"([a-z])\1+")
_SHORT = 3  # acronyms up to this length match in exact case only


@lru_cache(maxsize=65_536)  # pure, and called for every mention of every document
def normalize(name: str) -> str:
    """A matching key: equal for spellings of one name, ignoring case and punctuation.

    Steps: unify apostrophes, fold accents to ASCII, lower-case, drop a trailing
    possessive "'s" and a leading "the", drop apostrophes, apply the documented
    transliteration rewrites, remove spaces/hyphens/dots, and collapse doubled letters
    (Shabaab/Shabab) in keys longer than five characters; short keys are mostly
    acronyms, whose doubled letters are meaningful (ISSP is not ISPP).

    >>> {normalize(n) for n in ["al-Qaeda", "al-Qaida", "al-Qa'ida", "Al Qaeda", "alqaeda"]}
    {'alqaida'}
    >>> normalize("Hizballah") == normalize("Hezbollah") == normalize("Hizb Allah")
    True
    >>> normalize("the Taliban's"), normalize("U.S."), normalize("Lashkar-i-Tayyiba")
    ('taliban', 'us', 'lashkaretayiba')
    """
    text = _APOSTROPHES.sub("'", name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"'s\s*$", "", text.strip())
    text = re.sub(r"^the\s+", "", text).replace("'", "")
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    key = text.replace(" ", "")
    return _DOUBLES.sub(r"\1", key) if len(key) > 5 else key


def case_sensitive(form: str) -> bool:
    """Whether a surface form only matches in exact case (acronyms of up to three chars).

    A spaCy ruler built from :meth:`Gazetteer.surface_forms` should match these on
    ``ORTH`` rather than ``LOWER``.

    >>> case_sensitive("IS"), case_sensitive("U.S."), case_sensitive("ISIS")
    (True, True, False)
    """
    return _short_form(form) is not None


def _short_form(name: str) -> str | None:
    """The exact-case compact form of a name of up to three characters, else None.

    >>> _short_form("U.S."), _short_form("IS's"), _short_form("Hamas")
    ('US', 'IS', None)
    """
    text = unicodedata.normalize("NFKD", _APOSTROPHES.sub("'", name))
    text = re.sub(r"'s\s*$", "", text.encode("ascii", "ignore").decode().strip())
    compact = re.sub(r"[^A-Za-z0-9]", "", text)
    return compact if 0 < len(compact) <= _SHORT else None


@dataclass
class Gazetteer:
    """Entities by id, plus the indexes that resolve a surface form to one of them."""

    entities: list[Entity]
    _by_id: dict[str, Entity] = field(default_factory=dict, repr=False)
    _by_key: dict[str, Entity] = field(default_factory=dict, repr=False)
    _by_short: dict[str, Entity] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entities}
        # Preferred labels are indexed first so they win if a key is (wrongly) shared.
        for entity in self.entities:
            self._index(entity.label, entity)
        for entity in self.entities:
            for alias in entity.aliases:
                self._index(alias, entity)

    def _index(self, name: str, entity: Entity) -> None:
        short = _short_form(name)
        if short is not None:
            self._by_short.setdefault(short, entity)
        else:
            self._by_key.setdefault(normalize(name), entity)

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Read a gazetteer Turtle file; InputError when it is missing or unparsable."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"gazetteer file not found: {path}")
        try:
            data = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read gazetteer {path}: {exc}") from None
        return cls.parse(data, source=str(path))

    @classmethod
    def parse(cls, data: str, source: str = "<string>") -> Gazetteer:
        """Build a gazetteer from Turtle text."""
        from rdflib import Graph

        graph = Graph()
        try:
            graph.parse(data=data, format="turtle")
        except Exception as exc:  # rdflib raises many parser error types
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"cannot parse gazetteer {source}: {reason}") from None
        return cls(_entities_from(graph, source))

    def lookup(self, name: str) -> Entity | None:
        """The entity a surface form names, or None.

        Forms of up to three characters match only in exact case ("IS", not "is").
        """
        short = _short_form(name)
        if short is not None:
            return self._by_short.get(short)
        return self._by_key.get(normalize(name))

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this slug (``ent:<slug>``), or None."""
        return self._by_id.get(entity_id)

    def surface_forms(self) -> Iterator[tuple[str, Entity]]:
        """Every (label or alias, entity) pair, e.g. to build a spaCy entity ruler."""
        for entity in self.entities:
            yield entity.label, entity
            for alias in entity.aliases:
                yield alias, entity

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Entity):
            return item.id in self._by_id
        return isinstance(item, str) and self.lookup(item) is not None


def _entities_from(graph: Graph, source: str) -> list[Entity]:
    """Collect typed ``ent:`` subjects with their labels, aliases and Wikidata QID."""
    types: dict[str, EntityType] = {}
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = {}
    qids: dict[str, str] = {}
    for s, p, o in graph:
        subject, pred, obj = str(s), str(p), str(o)
        if not subject.startswith(ENTITY_BASE):
            continue
        if pred == _RDF_TYPE and obj in _CLASSES:
            types.setdefault(subject, _CLASSES[obj])
        elif pred == _PREF_LABEL:
            labels[subject] = obj
        elif pred == _ALT_LABEL:
            aliases.setdefault(subject, set()).add(obj)
        elif pred == _SAME_AS and obj.startswith(_WIKIDATA):
            qids[subject] = obj[len(_WIKIDATA):]
    entities = []
    for iri in sorted(types):
        slug = iri[len(ENTITY_BASE):]
        if iri not in labels:
            raise InputError(f"gazetteer {source}: ent:{slug} has no skos:prefLabel")
        entities.append(Entity(
            id=slug, label=labels[iri], type=types[iri],
            aliases=tuple(sorted(aliases.get(iri, set()) - {labels[iri]})),
            qid=qids.get(iri),
        ))
    return entities


__all__ = ["Gazetteer", "case_sensitive", "normalize"]
