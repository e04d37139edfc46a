"""The whole path: inputs → statements → RDF → store, Turtle, TriG, JSONL, HTML, GEXF.

The library does the work; the CLI only parses options and reports. Progress is
reported through a callback so the library prints nothing itself.

Builds are incremental: building into a folder that already holds a build adds the new
documents, skips those already there with the same text (same content hash), replaces
the statements of a document whose text changed, and recomputes the aggregates and
contradictions (graphkit.corpus) over everything. :func:`remove` takes documents out.

A document already in the build is recognised by its content hash and where it was read
(the resolved path, ``Document.origin``), never by the path as typed: ``seeds`` and
``/abs/seeds`` are the same folder. The folder's ``build.json`` (graphkit.build_record)
keeps those origins and the extraction settings; a build with other settings is refused
unless ``rebuild=True`` starts the folder afresh.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit import __version__, build_folder
from graphkit.build_record import BuildRecord, check_settings, settings_record
from graphkit.corpus.previous import PreviousBuild
from graphkit.errors import InputError, Interrupted, OutputError
from graphkit.fileio import atomic_write
from graphkit.ingest import SkipHandler, check_inputs, check_output_dir, iter_documents
from graphkit.lock import BuildLock
from graphkit.model import Document, Entity, Statement
from graphkit.rdf.build import DocumentInfo
from graphkit.settings import Settings

if TYPE_CHECKING:
    from rdflib import Graph

    from graphkit.engines.batching import Part
    from graphkit.extract import Extractor

Progress = Callable[[Document, int], None]


@dataclass
class BuildSummary:
    """What a build read and wrote."""

    documents: int = 0
    skipped: int = 0
    entities: int = 0
    statements: int = 0
    by_relation: Counter[str] = field(default_factory=Counter)
    by_modality: Counter[str] = field(default_factory=Counter)
    outputs: dict[str, Path] = field(default_factory=dict)
    unchanged: int = 0  # documents already in the build with the same text
    replaced: int = 0  # documents already in the build whose text changed
    removed: int = 0
    total_documents: int = 0  # in the build after this run
    total_statements: int = 0
    store_url: str | None = None
    # Seconds per stage, in order (extraction includes reading the inputs).
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start


def extract_statements(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    on_skip: SkipHandler | None = None,
    on_document: Progress | None = None,
    keep: Callable[[Document], bool] | None = None,
    extractor: Extractor | None = None,
    own_outputs: Sequence[int] = (),
    skip_under: Sequence[Path] = (),
) -> Iterator[tuple[Document, list[Statement]]]:
    """Stream (document, statements) pairs for every usable input document.

    ``keep`` drops documents before extraction (an incremental build skips known ones);
    ``extractor`` reuses a loaded pipeline instead of loading one for ``settings`` (in a
    one-process local run); ``settings.engine`` and ``settings.workers`` choose who reads;
    ``own_outputs`` are file descriptors (the caller's stdout, stderr) whose files are
    never read as input, so ``graphkit extract DIR > DIR/pred.jsonl`` works.
    """
    from graphkit.engines.batching import whole

    parts = extract_parts(inputs, settings, on_skip=on_skip, keep=keep, extractor=extractor,
                          own_outputs=own_outputs, skip_under=skip_under)
    for doc, statements in whole(parts):
        if on_document is not None:
            on_document(doc, len(statements))
        yield doc, statements


def extract_parts(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    on_skip: SkipHandler | None = None,
    keep: Callable[[Document], bool] | None = None,
    extractor: Extractor | None = None,
    own_outputs: Sequence[int] = (),
    skip_under: Sequence[Path] = (),
) -> Iterator[Part]:
    """As :func:`extract_statements`, piece by piece: a long document's statements come
    segment by segment, as each is read (see graphkit.segments)."""
    from graphkit.engines import run_parts

    documents: Iterable[Document] = iter_documents(list(inputs), on_skip=on_skip,
                                                   own_outputs=own_outputs,
                                                   skip_under=skip_under)
    if keep is not None:
        documents = filter(keep, documents)
    return run_parts(documents, settings, extractor=extractor)


def build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    settings: Settings,
    *,
    on_skip: SkipHandler | None = None,
    on_document: Progress | None = None,
    store_url: str | None = None,
    extractor: Extractor | None = None,
    rebuild: bool = False,
) -> BuildSummary:
    """Build the graph of ``inputs`` into ``out_dir`` (adding to a build already there).

    ``store_url`` sends the graph to that SPARQL 1.1 server instead of ``out_dir/store``.
    A build already there made with other extraction settings raises
    BuildSettingsError, unless ``rebuild`` replaces it with a build of ``inputs`` alone.
    """
    from graphkit.network.visjs import view_library

    out_dir = Path(out_dir)
    check_output_dir(out_dir)
    check_inputs(inputs)  # a missing input fails here, before the folder is touched
    view_library()  # so does a pyvis without the view's library, not after the other outputs
    # One writer per build folder: a second process gets a clear "in use" error.
    with BuildLock(out_dir):
        build_folder.prepare(out_dir)
        return _build_into(inputs, out_dir, settings, on_skip=on_skip,
                           on_document=on_document, store_url=store_url, extractor=extractor,
                           rebuild=rebuild)


def _build_into(inputs: Sequence[str | Path], out_dir: Path, settings: Settings, *,
                on_skip: SkipHandler | None, on_document: Progress | None,
                store_url: str | None, extractor: Extractor | None,
                rebuild: bool) -> BuildSummary:
    # A rebuild starts from nothing; the old build stays until the new one replaces it
    # whole (one rename), so an interrupted rebuild loses nothing.
    previous = PreviousBuild() if rebuild else PreviousBuild.load(out_dir)
    record = None if rebuild else BuildRecord.load(out_dir)
    if previous.documents:  # a record without a graph (a killed first build) binds nothing
        check_settings(record, settings, out_dir)
    origins = {doc_id: origin for doc_id, origin in (record.origins if record else {}).items()
               if doc_id in previous.documents}
    by_origin = {origin: doc_id for doc_id, origin in origins.items()}
    for doc_id in previous.documents:
        if doc_id not in origins:  # built before build.json kept origins
            by_origin.setdefault(_guess_origin(doc_id), doc_id)
    summary = BuildSummary(store_url=store_url)

    def known_as(doc: Document) -> str | None:
        """The id the build holds ``doc`` under: its own, or another spelling of its path."""
        if doc.id in previous.documents:
            return doc.id
        return by_origin.get(doc.origin) if doc.origin else None

    def skipped(where: str, reason: str) -> None:
        summary.skipped += 1
        if on_skip is not None:
            on_skip(where, reason)

    def keep(doc: Document) -> bool:
        old = known_as(doc)
        if old is not None and previous.unchanged(old, doc.content_hash):
            summary.unchanged += 1
            return False
        return True

    # Only what the graph keeps of each document: texts are dropped as they are read.
    documents: list[DocumentInfo] = []
    statements: list[Statement] = []
    with summary.timed("extraction"):
        for doc, found in extract_statements(inputs, settings, on_skip=skipped,
                                             on_document=on_document, keep=keep,
                                             extractor=extractor, skip_under=[out_dir]):
            old = known_as(doc)
            if old is not None:  # changed text: the new reading replaces the old one
                summary.replaced += 1
                previous.forget(old)
                origins.pop(old, None)
            if doc.origin:
                origins[doc.id] = doc.origin
            documents.append(DocumentInfo.of(doc))
            statements.extend(found)
    if not documents and not summary.unchanged:
        raise InputError("no usable input documents" + (
            f" ({summary.skipped} skipped)" if summary.skipped else ""))
    _summarise(summary, documents, statements)
    _write(out_dir, previous, documents, statements, settings, summary,
           BuildRecord(settings_record(settings), origins))
    return summary


def _guess_origin(doc_id: str) -> str:
    """The origin of a document id that is a file path (relative ids as seen from here),
    for builds whose record does not say; any other id gives a path no input has."""
    try:
        return Path(doc_id).resolve().as_posix()
    except (OSError, ValueError, RuntimeError):
        return ""


def remove(doc_ids: Sequence[str], out_dir: Path, settings: Settings, *,
           store_url: str | None = None) -> BuildSummary:
    """Take the documents ``doc_ids`` and their statements out of the build in ``out_dir``."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InputError(f"no build folder {out_dir}")
    with BuildLock(out_dir):
        build_folder.prepare(out_dir)
        return _remove_from(doc_ids, out_dir, settings, store_url=store_url)


def _remove_from(doc_ids: Sequence[str], out_dir: Path, settings: Settings, *,
                 store_url: str | None) -> BuildSummary:
    previous = PreviousBuild.load(out_dir)
    if not previous.documents:
        raise InputError(f"{out_dir} holds no build to remove documents from")
    for doc_id in doc_ids:
        if doc_id not in previous.documents:
            known = ", ".join(sorted(previous.documents)[:5])
            raise InputError(f"no document {doc_id!r} in {out_dir}; documents include: {known}")
    for doc_id in doc_ids:
        previous.forget(doc_id)
    summary = BuildSummary(removed=len(set(doc_ids)), store_url=store_url)
    record = BuildRecord.load(out_dir)
    if record is not None:
        record.origins = {k: v for k, v in record.origins.items() if k in previous.documents}
    _write(out_dir, previous, [], [], settings, summary, record)
    return summary


def _write(out_dir: Path, previous: PreviousBuild, documents: list[DocumentInfo],
           statements: list[Statement], settings: Settings, summary: BuildSummary,
           record: BuildRecord | None) -> None:
    """Write every output of the merged build (old documents kept, new ones added) into
    a folder beside the build in use, and switch it in whole (graphkit.build_folder)."""
    from graphkit.corpus import enrich
    from graphkit.rdf import statements_to_graph

    kept = [st for doc_id in previous.order for st in previous.statements.get(doc_id, [])]
    everything = kept + statements
    infos = list(previous.documents.values()) + documents
    with summary.timed("RDF graph"):
        graph = statements_to_graph(everything, infos, _entities(everything),
                                    extractor=f"graphkit-{__version__}", model=settings.model)
    with summary.timed("corroboration and contradictions"):
        enrich(graph)
    staged = build_folder.stage(out_dir)
    try:
        written = _write_outputs(graph, staged, previous, statements, summary)
        if record is not None:
            record.save(staged)
        build_folder.switch(out_dir, staged)
    except OutputError as err:
        build_folder.discard(staged)
        raise OutputError(f"{err}; {_kept(out_dir, summary.store_url)}") from None
    except BaseException:
        build_folder.discard(staged)
        raise
    try:
        build_folder.tidy(out_dir)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted after the new build was switched in: {out_dir} "
                          "holds the new build") from None
    summary.outputs = {key: out_dir / path.name for key, path in written.items()}
    summary.total_documents = len(infos)
    summary.total_statements = len(everything)


def _kept(out_dir: Path, store_url: str | None) -> str:
    """What a failed write phase left, said truthfully: nothing of it was switched in."""
    held = "the previous build" if build_folder.current(out_dir) else "no build"
    where = f" and the store {store_url} its previous graph" if store_url else ""
    return f"{out_dir} still holds {held}, unchanged{where}"


def _write_outputs(graph: Graph, folder: Path, previous: PreviousBuild,
                   statements: list[Statement], summary: BuildSummary) -> dict[str, Path]:
    from graphkit.network import to_networkx, write_gexf, write_html
    from graphkit.rdf import write_build
    from graphkit.rdf.dataset import TRIG_FILE, write_trig

    with summary.timed("statements.jsonl"):
        jsonl_path = _write_jsonl(folder, previous, statements)
    with summary.timed("Turtle and store"):
        outputs = write_build(graph, folder, store_url=summary.store_url)
    with summary.timed("TriG"):
        outputs["trig"] = write_trig(graph, folder / TRIG_FILE)
    outputs["statements"] = jsonl_path
    with summary.timed("network"):
        network = to_networkx(graph)
    with summary.timed("GEXF"):
        write_gexf(network, folder / "graph.gexf")
    with summary.timed("HTML"):
        write_html(network, folder / "graph.html", title=f"graphkit: {folder.parent.parent.name}")
    outputs["gexf"] = folder / "graph.gexf"
    outputs["html"] = folder / "graph.html"
    return outputs


def _write_jsonl(out_dir: Path, previous: PreviousBuild, statements: list[Statement]) -> Path:
    path = out_dir / "statements.jsonl"
    with atomic_write(path) as fh:
        for doc_id in previous.order:
            for row in previous.rows.get(doc_id, []):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        for st in statements:
            fh.write(json.dumps(st.to_json(), ensure_ascii=False) + "\n")
    return path


def _entities(statements: Iterable[Statement]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for st in statements:
        for entity in (st.subject, st.object):
            seen.setdefault(entity.id, entity)
    return list(seen.values())


def _summarise(summary: BuildSummary, documents: list[DocumentInfo],
               statements: list[Statement]) -> None:
    summary.documents = len(documents)
    summary.statements = len(statements)
    summary.entities = len(_entities(statements))
    summary.by_relation = Counter(st.predicate.value for st in statements)
    summary.by_modality = Counter(st.modality.value for st in statements)
