"""What the endpoint refuses before running anything: size, nesting and network access.

Two checks, in the order a request meets them:

* :func:`check_shape` (in the server) is a cheap character scan, so that text deep
  enough to overflow a parser's stack never reaches one: it counts ``{ ( [`` nesting and
  runs of unary operators (``!`` ``^`` ``-`` ``+``), skipping strings, IRIs and comments.
* :func:`refused_operation` (in a worker) parses the text with rdflib's SPARQL parser and
  walks the parse tree for ``SERVICE`` and ``LOAD``. Deciding from a parse, not from a
  keyword search, is what a prefixed name such as ``ent:x\\#`` cannot fool; text rdflib
  cannot parse is refused, since then nothing can say what Oxigraph would make of it.

>>> refused_operation("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
'SERVICE'
>>> refused_operation('SELECT ?service { ?service <http://x/load> "LOAD" } # LOAD')
>>> refused_operation("INSERT DATA { <a:b> <a:c> 1 } ; LOAD <http://x/> ", update=True)
'LOAD'
>>> try:
...     check_shape("SELECT * { { { ?s ?p ?o } } }", max_depth=2)
... except Refused as err:
...     print(err.status, err)
400 the query nests deeper than 2 levels
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 64
MAX_QUERY_CHARS = 200_000
MAX_UPDATE_CHARS = 1_000_000
_OPEN, _CLOSE = "{([", "})]"
_UNARY = "!^-+"
_SPECIAL = re.compile(r"[\"'#<\\{}()\[\]!^+\-]")


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_shape(text: str, *, update: bool = False, max_depth: int = MAX_DEPTH) -> None:
    """Raise Refused(400) when ``text`` is too long or nests deeper than ``max_depth``."""
    limit = MAX_UPDATE_CHARS if update else MAX_QUERY_CHARS
    kind = "update" if update else "query"
    if len(text) > limit:
        raise Refused(400, f"the {kind} is longer than {limit} characters")
    if nesting_depth(text, stop_above=max_depth) > max_depth:
        raise Refused(400, f"the {kind} nests deeper than {max_depth} levels")


def nesting_depth(text: str, stop_above: int | None = None) -> int:
    """The deepest bracket nesting plus unary-operator run in ``text`` (or the first
    depth over ``stop_above``: deeper does not matter then).

    >>> nesting_depth('SELECT * { ?s ?p "{{{" . FILTER(!!(?o)) } # ((((')
    4
    >>> nesting_depth("SELECT * { <http://x/(> ?p ent:x\\\\# }")
    1
    """
    depth = deepest = run = 0
    i, n = 0, len(text)
    # Jump from one syntax character to the next (the scan is in C between them): the
    # server runs this on every request, up to MAX_QUERY_CHARS long.
    while (match := _SPECIAL.search(text, i)) is not None:
        if run and not text[i:match.start()].isspace() and match.start() > i:
            run = 0  # an operand ended the run of unary operators
        i = match.start()
        c = text[i]
        if c in "\"'":
            i = _skip_string(text, i)
            continue
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if c == "<":
            end = _iri_end(text, i)
            i = end or i + 1
            run = 0
            continue
        if c == "\\":  # an escape inside a prefixed name: the next character is not syntax
            i += 2
            continue
        if c in _OPEN:
            depth += 1
            run = 0
        elif c in _CLOSE:
            depth = max(0, depth - 1)
            run = 0
        elif c == "!" and text.startswith("!=", i):
            run = 0
        else:
            run += 1
        deepest = max(deepest, depth + run)
        if stop_above is not None and deepest > stop_above:
            return deepest
        i += 1
    return deepest


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = i + 3
        while True:
            end = text.find(quote * 3, end)
            if end < 0:
                return len(text)
            if _escaped(text, end):
                end += 1
                continue
            return end + 3
    end = i + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if text[end] == "\\" else 1
    return end + 1


def _escaped(text: str, i: int) -> bool:
    slashes = 0
    while i - slashes - 1 >= 0 and text[i - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _iri_end(text: str, i: int) -> int:
    """The index after an IRIREF starting at ``i`` (SPARQL's own rule), or 0 if none."""
    for j in range(i + 1, min(len(text), i + 4096)):
        c = text[j]
        if c == ">":
            return j + 1
        if c in '<"{}|^`\\' or ord(c) <= 0x20:
            return 0
    return 0


def refused_operation(text: str, *, update: bool = False) -> str | None:
    """``SERVICE`` or ``LOAD`` when the parsed SPARQL text uses one, else None.

    Raises Refused(400) when rdflib cannot parse the text (or recurses too deep on it):
    an operation that cannot be checked is not run.
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except ParseBaseException as err:
        raise Refused(400, f"SPARQL syntax error: {' '.join(str(err).split())}") from None
    except RecursionError:
        raise Refused(400, "the text is too complex to check; split it up") from None
    found = _names(tree)
    if "ServiceGraphPattern" in found:
        return "SERVICE"
    if "Load" in found:
        return "LOAD"
    return None


def _names(tree: Any) -> set[str]:
    """Every CompValue name in an rdflib parse tree (iteratively: trees can be deep)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return names
