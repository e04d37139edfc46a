"""Query results as text: an aligned table, SPARQL CSV, or SPARQL JSON.

>>> from rdflib import Literal, URIRef
>>> result = QueryResult("select", ("group", "year"),
...     ((URIRef("https://w3id.org/graphkit/entity/taliban"), Literal(1996)),))
>>> print(format_result(result, "table"), end="")
group       | year
------------+-----
ent:taliban | 1996
(1 row)
>>> format_result(result, "csv").splitlines()
['group,year', 'https://w3id.org/graphkit/entity/taliban,1996']
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import BNode, Literal, URIRef

from graphkit.errors import QueryError
from graphkit.rdf.result import QueryResult, Term
from graphkit.rdf.terms import PREFIXES, XSD, compact

FORMATS = ("table", "csv", "json")


def format_result(result: QueryResult, fmt: str) -> str:
    """Render ``result`` as ``table``, ``csv`` or ``json``.

    SELECT: ``json`` is the SPARQL 1.1 Query Results JSON Format, ``csv`` the SPARQL 1.1
    CSV format (CRLF line ends), ``table`` aligned columns with IRIs compacted
    (``ent:taliban``) and a closing row-count line. ASK: ``true``/``false`` (JSON:
    ``{"head": {}, "boolean": ...}``). CONSTRUCT/DESCRIBE: Turtle for ``table`` and
    ``csv``, JSON-LD for ``json``. The text always ends with a line break.
    """
    name = fmt.strip().lower()
    if name not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    text = _render(result, name)
    return text if text.endswith("\n") else text + "\n"


def _render(result: QueryResult, name: str) -> str:
    if result.kind == "graph":
        return _graph_text(result, name)
    if result.kind == "ask":
        if name == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)})
        return "true" if result.boolean else "false"
    return {"table": _table, "csv": _csv, "json": _json}[name](result)


def _graph_text(result: QueryResult, name: str) -> str:
    if result.graph is None:
        raise QueryError("a graph result carries no graph")
    if name == "json":
        return result.graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    return result.graph.serialize(format="turtle")


def _json(result: QueryResult) -> str:
    bindings = [
        {name: _json_term(cell) for name, cell in zip(result.variables, row, strict=True)
         if cell is not None}
        for row in result.rows
    ]
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2)


def _json_term(term: Term) -> dict[str, Any]:
    """One RDF term in the SPARQL JSON results shape."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out: dict[str, Any] = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)  # IRIs in full, literals as their lexical form, per the CSV spec


def _table(result: QueryResult) -> str:
    header = list(result.variables)
    body = [[_display(cell) for cell in row] for row in result.rows]
    widths = [max([len(name)] + [len(row[i]) for row in body]) for i, name in enumerate(header)]
    lines = [_line(header, widths), "-+-".join("-" * width for width in widths)]
    lines += [_line(row, widths) for row in body]
    count = len(body)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: list[str], widths: list[int]) -> str:
    return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def _display(term: Term | None) -> str:
    """A cell as a reader wants it: compact IRIs, bare literal text on one line."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) if isinstance(term, Literal) else str(term)


def results_tsv(result: QueryResult) -> str:
    """SELECT results in the SPARQL 1.1 TSV format (terms in Turtle syntax).

    >>> from rdflib import Literal, URIRef
    >>> text = results_tsv(QueryResult("select", ("a", "b"),
    ...     ((URIRef("http://x/a"), Literal('say "hi"')),)))
    >>> [line.split("\\t") for line in text.splitlines()]
    [['?a', '?b'], ['<http://x/a>', '"say \\\\"hi\\\\""']]
    """
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join(_turtle_term(cell) for cell in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _turtle_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = '"' + "".join(_TURTLE_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


_TURTLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def results_xml(result: QueryResult) -> str:
    """SELECT or ASK results in the SPARQL Query Results XML Format.

    >>> from rdflib import Literal
    >>> text = results_xml(QueryResult("select", ("n",), ((Literal("a<b", lang="en"),),)))
    >>> '<binding name="n"><literal xml:lang="en">a&lt;b</literal></binding>' in text
    True
    """
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
        return "\n".join(out + ["</sparql>"]) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>"
                                  for v in result.variables) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = []
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                value = f"<uri>{escape(str(term))}</uri>"
            elif isinstance(term, BNode):
                value = f"<bnode>{escape(str(term))}</bnode>"
            elif term.language:
                lang = quoteattr(term.language)
                value = f"<literal xml:lang={lang}>{escape(str(term))}</literal>"
            elif term.datatype is not None and term.datatype != XSD.string:
                value = (f"<literal datatype={quoteattr(str(term.datatype))}>"
                         f"{escape(str(term))}</literal>")
            else:
                value = f"<literal>{escape(str(term))}</literal>"
            cells.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        out.append("<result>" + "".join(cells) + "</result>")
    out.append("</results>")
    return "\n".join(out + ["</sparql>"]) + "\n"
