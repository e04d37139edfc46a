"""Saved queries shipped with graphkit, and safe binding of their parameters.

A saved query is ``graphkit/rdf/queries/<name>.rq``: a first comment line says what it
answers, ``# param NAME: help`` lines declare its parameters (``(integer)`` in the help
makes one numeric), and the query uses each as the variable ``?NAME``. Values are never
pasted into the query text as SPARQL: each becomes one escaped literal in a ``VALUES``
block placed at the start of the WHERE pattern, so the pattern sees them bound.

>>> [q.name for q in saved_queries()][:3]
['affiliates-and-branches', 'allies-of', 'as-of-year']
>>> sparql_literal('say "hi" \\\\ {x}')
'"say \\\\"hi\\\\" \\\\\\\\ {x}"'
>>> print(bind_parameters("SELECT ?n WHERE { ?n ?p ?group }", {"group": 'A"}'}))
SELECT ?n WHERE { VALUES (?group) { ("A\\"}") }
 ?n ?p ?group }
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from graphkit.errors import QueryError

_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_]\w*)\s*:\s*(.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True)
class Parameter:
    name: str
    help: str

    @property
    def integer(self) -> bool:
        return "(integer)" in self.help


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def bind(self, values: dict[str, str]) -> str:
        """The query text with ``values`` bound; every declared parameter is required."""
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            raise QueryError(f"{self.name} has no parameter {unknown[0]!r}; "
                             f"parameters: {self.usage() or 'none'}")
        missing = [p.name for p in self.parameters if p.name not in values]
        if missing:
            raise QueryError(f"{self.name} needs --param {missing[0]}=...; "
                             f"parameters: {self.usage()}")
        terms = {p.name: _term(p, values[p.name]) for p in self.parameters}
        return bind_parameters(self.text, terms, escaped=True) if terms else self.text

    def usage(self) -> str:
        return " ".join(f"{p.name}=..." for p in self.parameters)


def saved_queries() -> list[SavedQuery]:
    """Every saved query shipped in the package, sorted by name."""
    folder = resources.files("graphkit.rdf") / "queries"
    found = [_parse(entry.name[:-3], entry.read_text(encoding="utf-8"))
             for entry in folder.iterdir() if entry.name.endswith(".rq")]
    return sorted(found, key=lambda q: q.name)


def saved_query(name: str) -> SavedQuery | None:
    """The saved query called ``name``, or None."""
    return next((q for q in saved_queries() if q.name == name), None)


_NAME = re.compile(r"[A-Za-z][\w-]*")


def require_saved_query(name: str) -> SavedQuery | None:
    """The saved query ``name``; None when ``name`` is SPARQL text or a .rq file, and
    QueryError when it can only be a saved query's name and none is called so.

    A bare word (letters, digits, ``-``, ``_``) is no SPARQL query, so a mistyped name
    gets the list of known names instead of a syntax error about the word.

    >>> require_saved_query("allies-of").name
    'allies-of'
    >>> require_saved_query("ASK { ?s ?p ?o }") is None
    True
    >>> require_saved_query("alies-of")
    Traceback (most recent call last):
    ...
    graphkit.errors.QueryError: no saved query alies-of; known: affiliates-and-branches, ...
    """
    found = saved_query(name.strip())
    if found is None and _NAME.fullmatch(name.strip()):
        known = ", ".join(q.name for q in saved_queries())
        raise QueryError(f"no saved query {name.strip()}; known: {known}")
    return found


def _parse(name: str, text: str) -> SavedQuery:
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    lead = []
    for line in comments:
        if _PARAM.match(line):
            break
        lead.append(line.lstrip("# ").strip())
    description = " ".join(lead) or name
    params = tuple(Parameter(m.group(1), m.group(2).strip())
                   for m in (_PARAM.match(line) for line in comments) if m)
    return SavedQuery(name, description, params, text)


def _term(param: Parameter, value: str) -> str:
    if not param.integer:
        return sparql_literal(value)
    try:
        return str(int(value.strip()))
    except ValueError:
        raise QueryError(f"parameter {param.name} must be an integer, got {value!r}") from None


def sparql_literal(value: str) -> str:
    """``value`` as a SPARQL double-quoted string literal with every special escaped."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def bind_parameters(text: str, values: dict[str, str], *, escaped: bool = False) -> str:
    """Insert ``VALUES (?a ?b) { (...) }`` at the start of the first WHERE pattern.

    Values are escaped as string literals unless ``escaped`` says they already are
    SPARQL terms.
    """
    match = _WHERE.search(text)
    if match is None:
        raise QueryError("the query has no WHERE { ... } pattern to bind parameters in")
    names = sorted(values)
    terms = [values[n] if escaped else sparql_literal(values[n]) for n in names]
    block = (" VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(terms) + ") }\n")
    return text[:match.end()] + block + text[match.end():]


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["group=Taliban"]`` -> ``{"group": "Taliban"}`` (only the first ``=`` splits).

    >>> parse_params(["group=A=B", "year=2014"])
    {'group': 'A=B', 'year': '2014'}
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values
