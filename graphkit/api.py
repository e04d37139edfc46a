"""graphkit as a library: read texts, build a graph, ask it questions.

Everything here is also ``graphkit.<name>`` (``import graphkit`` itself stays light: the
heavy libraries load when a function first needs them). Load the pipeline once and
pass it to every call that reads text:

>>> import graphkit
>>> reader = graphkit.load()   # the spaCy pipeline with graphkit's components
>>> headline = "The Real IRA split from the Provisional IRA in 1997."
>>> for st in graphkit.extract(headline, reader=reader):
...     print(st.subject.label, st.predicate.value, st.object.label, st.year, st.modality.value)
Real IRA splinterOf Provisional Irish Republican Army 1997 asserted

A string is text; a :class:`pathlib.Path` is a file or a folder (read as ``graphkit
build`` reads it); a list may mix both. Build a graph folder, then open it:

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "sahel.txt").write_text(
...     "The Sahel Liberation Front allied with the Desert Hawks Brigade in 2013. "
...     "The River Battalion broke away from the Desert Hawks Brigade in 2015.")
>>> summary = graphkit.build([folder / "sahel.txt"], folder / "kb", reader=reader)
>>> summary.documents, summary.statements
(1, 2)
>>> kb = graphkit.open(folder / "kb")
>>> result = kb.query("allies-of", group="Sahel Liberation Front")   # a saved query
>>> [str(label) for label in result.column("allyLabel")]
['Desert Hawks Brigade']
>>> G = kb.to_networkx()
>>> sorted(G.nodes[n]["label"] for n in G)
['Desert Hawks Brigade', 'River Battalion', 'Sahel Liberation Front']
>>> df = kb.to_dataframe()    # one row per statement; needs pandas
>>> df[["subject", "predicate", "object", "year"]]  # doctest: +NORMALIZE_WHITESPACE
                  subject   predicate                object  year
0  Sahel Liberation Front  alliedWith  Desert Hawks Brigade  2013
1         River Battalion  splinterOf  Desert Hawks Brigade  2015
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphkit.model import Document, Statement
from graphkit.settings import Settings

if TYPE_CHECKING:
    import networkx as nx
    import pandas
    import pyoxigraph

    from graphkit.build import BuildSummary
    from graphkit.extract import Extractor
    from graphkit.rdf.query import QueryResult, Term

__all__ = ["KnowledgeGraph", "build", "extract", "load", "open"]

Text = str | os.PathLike[str] | Document


def load(settings: Settings | None = None, **options: Any) -> Extractor:
    """The loaded pipeline (about two seconds), to pass as ``reader=`` to every call.

    ``options`` are :class:`graphkit.settings.Settings` fields (``model``,
    ``min_confidence``, ``use_model``, ...), applied over ``settings``.
    """
    from graphkit.extract import Extractor

    return Extractor(_settings(settings, options))


def extract(texts_or_paths: Text | Iterable[Text], *, reader: Extractor | None = None,
            settings: Settings | None = None, **options: Any) -> Iterator[Statement]:
    """The statements of each text, file or folder, in input order.

    A ``str`` is a text (its statements' ``evidence.doc_id`` is ``text-1``, ``text-2``,
    ...), a path a file or folder of ``.txt .md .html .jsonl``, a
    :class:`graphkit.model.Document` a text with its id and metadata. A file that cannot
    be read is skipped with a warning, as ``graphkit extract`` does. ``reader`` reuses a
    pipeline from :func:`load` (else one is loaded for this call; with ``workers=N``
    each worker process loads its own).
    """
    from graphkit.engines import run

    chosen = _chosen(reader, settings, options)
    for _doc, statements in run(_documents(texts_or_paths), chosen, extractor=reader):
        yield from statements


def build(inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
          out_dir: str | os.PathLike[str], *, reader: Extractor | None = None,
          settings: Settings | None = None, rebuild: bool = False,
          store_url: str | None = None, **options: Any) -> BuildSummary:
    """Build (or add to) the graph folder ``out_dir`` from files and folders, exactly as
    ``graphkit build`` does; the summary says what was read and written."""
    from graphkit.build import build as run_build

    chosen = _chosen(reader, settings, options)
    given = [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
    paths: list[str | Path] = [Path(p) if isinstance(p, os.PathLike) else p for p in given]
    return run_build(paths, Path(out_dir), chosen, store_url=store_url, extractor=reader,
                     rebuild=rebuild, on_skip=_warn_skip)


def open(source: str | os.PathLike[str]) -> KnowledgeGraph:
    """The graph in ``source``: a build folder, an Oxigraph store folder or an RDF file
    (``graph.ttl``, ``graph.trig``, ...). A source that is none of these is a
    :class:`graphkit.errors.SourceError` now, not at the first query."""
    return KnowledgeGraph(source)


class KnowledgeGraph:
    """A built graph to question: SPARQL, networkx, pandas.

    The store is opened once (read-only) and shared by every query.
    """

    def __init__(self, source: str | os.PathLike[str]) -> None:
        from graphkit.rdf.store import load_source

        self.source = Path(source)
        self._store: pyoxigraph.Store = load_source(self.source)

    def __repr__(self) -> str:
        return f"graphkit.open({str(self.source)!r})"

    def query(self, sparql: str | os.PathLike[str], **params: Any) -> Answer:
        """Run SPARQL text, a ``.rq`` file or a saved query by name (``graphkit query
        --list``), with ``params`` bound as escaped literals (never pasted in)."""
        from graphkit.rdf.query import read_query, run_query
        from graphkit.rdf.saved import bind_parameters, require_saved_query

        values = {name: str(value) for name, value in params.items()}
        saved = require_saved_query(sparql) if isinstance(sparql, str) else None
        if saved is not None:
            text = saved.bind(values)
        else:
            text = read_query(Path(sparql) if isinstance(sparql, os.PathLike) else sparql)
            text = bind_parameters(text, values) if values else text
        return Answer(run_query(self._store, text))

    def statements(self) -> list[Statement]:
        """Every statement in the graph (asserted, negated and hypothetical)."""
        from graphkit.rdf import graph_to_statements
        from graphkit.rdf.store import read_source_graph

        return graph_to_statements(read_source_graph(self.source))

    def to_networkx(self, *, analyse: bool = True) -> nx.MultiDiGraph:
        """The entity network the HTML view and GEXF show (measures unless
        ``analyse=False``): nodes are entity IRIs, parallel edges one per relation and
        modality."""
        from graphkit.network import read_network

        return read_network(self.source, analyse=analyse)

    def export(self, path: str | os.PathLike[str], fmt: str = "gexf", *,
               dynamic: bool = False) -> Path:
        """Write the graph as ``graphkit export`` does: ``gexf``, ``graphml``, ``csv`` (a
        folder) or ``jsonld`` (the whole RDF graph, with graphkit's context)."""
        target = Path(path)
        if fmt == "jsonld":
            from graphkit.network.source import read_graph
            from graphkit.rdf.jsonld import write_jsonld

            return write_jsonld(read_graph(self.source), target)
        from graphkit.network import export

        export(self.to_networkx(), target, fmt, dynamic=dynamic)
        return target

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per statement, the columns of ``statements.jsonl``. Needs pandas
        (``pip install 'graphkit-kg[pandas]'``)."""
        try:
            import pandas
        except ImportError:
            from graphkit.packages import extra_hint

            raise ImportError(f"to_dataframe needs pandas, which is not installed: "
                              f"{extra_hint('pandas')}") from None
        rows = [st.to_json() for st in self.statements()]
        columns = list(rows[0]) if rows else list(_STATEMENT_COLUMNS)
        return pandas.DataFrame(rows, columns=columns)


class Answer:
    """A query's answer: ``rows`` of rdflib terms for SELECT, ``boolean`` for ASK,
    ``graph`` for CONSTRUCT/DESCRIBE; printed as ``graphkit query`` prints it."""

    def __init__(self, result: QueryResult) -> None:
        self.result = result
        self.kind, self.variables, self.rows = result.kind, result.variables, result.rows
        self.boolean, self.graph = result.boolean, result.graph

    def column(self, name: str) -> list[Term | None]:
        """The values of one SELECT variable, row by row."""
        if name not in self.variables:
            raise KeyError(f"no variable {name!r}; the query selects: "
                           + ", ".join(self.variables))
        i = self.variables.index(name)
        return [row[i] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def __str__(self) -> str:
        from graphkit.rdf import format_result

        return format_result(self.result, "table").rstrip("\n")


_STATEMENT_COLUMNS = ("doc", "subject", "subject_id", "subject_type", "subject_aliases",
                      "predicate", "object", "object_id", "object_type", "object_aliases",
                      "modality", "confidence", "sentence", "start", "end", "year")


def _settings(settings: Settings | None, options: dict[str, Any]) -> Settings:
    """``settings`` (default: no progress output) with ``options`` applied."""
    base = settings or Settings(progress=False)
    try:
        return replace(base, **options)
    except TypeError:
        known = ", ".join(sorted(Settings.__dataclass_fields__))
        raise TypeError(f"unknown option among {sorted(options)}; known: {known}") from None


def _chosen(reader: Extractor | None, settings: Settings | None,
            options: dict[str, Any]) -> Settings:
    """The run's settings: the reader's, with ``settings``/``options`` over them. Options
    that change what is read (model, min_confidence, ...) must match the loaded reader,
    or its statements would be recorded under settings they were not read with."""
    if reader is None:
        return _settings(settings, options)
    from graphkit.build_record import settings_record

    chosen = _settings(settings or reader.settings, options)
    loaded, asked = settings_record(reader.settings), settings_record(chosen)
    differ = [f"{key} {asked[key]!r} (the reader has {loaded[key]!r})"
              for key in loaded if loaded[key] != asked[key]]
    if differ:
        raise ValueError("the reader was loaded with other settings: " + "; ".join(differ)
                         + "; load one with graphkit.load(...) for these")
    return chosen


def _documents(items: Text | Iterable[Text]) -> Iterator[Document]:
    from graphkit.ingest import iter_documents

    if isinstance(items, str | os.PathLike | Document):
        items = [items]
    for i, item in enumerate(items, 1):
        if isinstance(item, Document):
            yield item
        elif isinstance(item, os.PathLike):
            yield from iter_documents([Path(item)], on_skip=_warn_skip)
        elif isinstance(item, str):
            yield Document(id=f"text-{i}", text=item)
        else:
            raise TypeError(f"item {i} is a {type(item).__name__}: give text (str), a "
                            "path (pathlib.Path) or a graphkit.model.Document")


def _warn_skip(where: str, reason: str) -> None:
    warnings.warn(f"skipped {where}: {reason}", stacklevel=3)
