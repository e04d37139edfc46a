"""The input stage: formats, encodings, skips, ordering and output-folder checks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graphkit.errors import InputError, OutputError
from graphkit.ingest import check_output_dir, iter_documents
from graphkit.model import Document

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SENTENCE = "The Harbour Front said its fighters had joined the Northern Coalition in 2016."


class Skips(list[tuple[str, str]]):
    """Records every on_skip call in order."""

    def __call__(self, where: str, reason: str) -> None:
        self.append((where, reason))


def read(paths: list[Path | str]) -> tuple[list[Document], Skips]:
    skips = Skips()
    return list(iter_documents(paths, on_skip=skips)), skips


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- plain text and ids -------------------------------------------------------------


def test_txt_file_named_directly_keeps_text_verbatim_and_has_no_title(tmp_path: Path) -> None:
    text = "  Indented first line.\n\tTabbed: \u201cquoted\u201d \u2013 dash.\n"
    path = write(tmp_path / "note.txt", text)
    docs, skips = read([path])
    assert skips == []
    assert [(d.id, d.text, d.title, d.date) for d in docs] == [
        (path.as_posix(), text, None, None)
    ]


def test_folder_walk_is_sorted_recursive_and_ids_join_given_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "inbox" / "b.txt", "Second file.")
    write(tmp_path / "inbox" / "a" / "z.txt", "Nested file.")
    write(tmp_path / "inbox" / "a.txt", "First file.")
    write(tmp_path / "inbox" / "c.md", "Third file.")
    docs, skips = read(["inbox/"])
    assert skips == []
    assert [d.id for d in docs] == ["inbox/a/z.txt", "inbox/a.txt", "inbox/b.txt", "inbox/c.md"]


def test_folder_given_as_dot_yields_ids_without_dot_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "one.txt", "A short report.")
    docs, _ = read(["."])
    assert [d.id for d in docs] == ["one.txt"]


def test_hidden_files_and_folders_are_skipped_silently(tmp_path: Path) -> None:
    write(tmp_path / ".draft.txt", "Hidden draft.")
    write(tmp_path / ".cache" / "x.txt", "Hidden folder file.")
    write(tmp_path / "visible.txt", "Visible report.")
    docs, skips = read([tmp_path])
    assert [d.text for d in docs] == ["Visible report."]
    assert skips == []


def test_single_string_path_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", SENTENCE)
    assert [d.text for d in iter_documents(str(path))] == [SENTENCE]


def test_line_endings_and_no_break_spaces_are_normalised_only(tmp_path: Path) -> None:
    raw = "Line one\u00a0here.\r\nLine two\u2009stays.\r\n".encode()
    path = write(tmp_path / "crlf.txt", raw)
    docs, _ = read([path])
    assert docs[0].text == "Line one here.\nLine two\u2009stays.\n"


# --- markdown -----------------------------------------------------------------------


def test_markdown_markup_is_removed_but_content_kept(tmp_path: Path) -> None:
    source = (
        "# Border clashes ##\n"
        "\n"
        "The **River Brigade** met [envoys of the Hill Movement](https://example.org/a) "
        "and _denied_ any ~~truce~~ pact.\n"
        "> A spokesman for al_Rashid said talks were *ongoing*.\n"
        "- first point\n"
        "* second point\n"
        "![map of the area](map.png)\n"
        "\n"
        "---\n"
        "[ref]: https://example.org/ref\n"
    )
    docs, _ = read([write(tmp_path / "clash.md", source)])
    text = docs[0].text
    # CommonMark: the quote and each list (a new bullet starts a new list) interrupt the
    # paragraph before them; the image line continues the second item's paragraph.
    assert text == (
        "Border clashes\n\n"
        "The River Brigade met envoys of the Hill Movement and denied any truce pact.\n\n"
        "A spokesman for al_Rashid said talks were ongoing.\n\n"
        "first point\n\n"
        "second point map of the area"
    )
    assert docs[0].title is None


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head>
  <title>Coalition &amp; rivals</title>
  <meta name="description" content="meta text must not appear">
  <style>body { color: red; }</style>
  <script>var hiddenScript = "script text";</script>
</head>
<body>
  <noscript>noscript text</noscript>
  <template><p>template text</p></template>
  <h1>Clashes near the border</h1>
  <p>The Harbour Front said it had joined the Northern Coalition</p>
  <p>Officials denied the report&nbsp;&mdash; &quot;no pact&quot; exists.</p>
  <div hidden>hidden attribute text</div>
  <div aria-hidden="true">aria hidden text</div>
  <span style="display: none">display none text</span>
  <span style="color:blue; VISIBILITY:hidden">visibility hidden text</span>
  <ul><li>First item</li><li>Second item</li></ul>
  <p>Cell row:</p><table><tr><td>Group</td><td>Leader</td></tr></table>
</body></html>
"""


def test_html_drops_hidden_content_and_keeps_title(tmp_path: Path) -> None:
    docs, skips = read([write(tmp_path / "page.html", PAGE)])
    assert skips == []
    doc = docs[0]
    assert doc.title == "Coalition & rivals"
    for hidden in ("meta text", "color: red", "script text", "noscript text",
                   "template text", "hidden attribute", "aria hidden", "display none",
                   "visibility hidden", "Coalition & rivals"):
        assert hidden not in doc.text


def test_html_blocks_end_lines_so_sentences_do_not_glue(tmp_path: Path) -> None:
    docs, _ = read([write(tmp_path / "page.htm", PAGE)])
    lines = [line for line in docs[0].text.split("\n") if line]
    assert lines == [
        "Clashes near the border",
        "The Harbour Front said it had joined the Northern Coalition",
        'Officials denied the report \u2014 "no pact" exists.',
        "First item",
        "Second item",
        "Cell row:",
        "Group Leader",
    ]


def test_html_without_title_has_none_and_unclosed_paragraphs_split(tmp_path: Path) -> None:
    path = write(tmp_path / "bare.html", "<p>Raid reported<p>Group denied it")
    docs, _ = read([path])
    assert docs[0].title is None
    assert docs[0].text == "Raid reported\n\nGroup denied it"


def test_html_meta_charset_is_used_for_legacy_bytes(tmp_path: Path) -> None:
    html = '<meta charset="windows-1252"><p>\u201cNo talks,\u201d said the caf\u00e9 owner.</p>'
    docs, _ = read([write(tmp_path / "legacy.html", html.encode("cp1252"))])
    assert docs[0].text == "\u201cNo talks,\u201d said the caf\u00e9 owner."


# --- JSONL --------------------------------------------------------------------------


def test_jsonl_keeps_good_lines_with_metadata_and_default_ids(tmp_path: Path) -> None:
    rows = [
        json.dumps({"id": "wire-7", "text": SENTENCE, "title": "Wire", "date": "2016-03-01",
                    "url": "https://example.org/7", "source": "Example Wire"}),
        "",
        json.dumps({"text": "A second report.\r\nWith two lines."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(rows) + "\n")
    docs, skips = read([path])
    assert skips == []
    assert docs[0] == Document("wire-7", SENTENCE, "Wire", "2016-03-01",
                               "https://example.org/7", "Example Wire")
    assert docs[1].id == f"{path.as_posix()}#3"
    assert docs[1].text == "A second report.\nWith two lines."


def test_jsonl_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Good line one."}),
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        "",
        json.dumps({"text": 42}),
        json.dumps(["text", "in a list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Bad date.", "date": ["2016"]}),
        json.dumps({"text": "Good line nine.", "date": 2016}),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines))
    docs, skips = read([path])
    assert [(d.text, d.date) for d in docs] == [("Good line one.", None),
                                                 ("Good line nine.", "2016")]
    name = path.as_posix()
    assert [where for where, _ in skips] == [f"{name}:{n}" for n in (2, 3, 5, 6, 7, 8)]
    reasons = [reason for _, reason in skips]
    assert reasons[0].startswith("invalid JSON")
    assert reasons[1] == reasons[2] == "missing string field 'text'"
    assert "JSON object" in reasons[3]
    assert reasons[4] == "empty"
    assert "'date'" in reasons[5]


def test_jsonl_line_separator_inside_a_string_does_not_split_the_line(tmp_path: Path) -> None:
    row = '{"text": "Before\u2028after."}\n'
    docs, skips = read([write(tmp_path / "sep.jsonl", row)])
    assert skips == [] and docs[0].text == "Before\u2028after."


def test_duplicate_jsonl_ids_are_reported_and_first_kept(tmp_path: Path) -> None:
    rows = [json.dumps({"id": "same", "text": "First."}),
            json.dumps({"id": "same", "text": "Second."})]
    docs, skips = read([write(tmp_path / "dup.jsonl", "\n".join(rows))])
    assert [d.text for d in docs] == ["First."]
    assert skips == [("same", "duplicate document id")]


# --- encodings ----------------------------------------------------------------------

LEGACY = (
    "Reporters in Z\u00fcrich said the group\u2019s \u201cfa\u00e7ade\u201d \u2014 na\u00efve.\n"
)


@pytest.mark.parametrize(
    "encoded",
    [
        LEGACY.encode("utf-8"),
        b"\xef\xbb\xbf" + LEGACY.encode("utf-8"),
        LEGACY.encode("utf-16"),
        b"\xfe\xff" + LEGACY.encode("utf-16-be"),
        LEGACY.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_encoding_twins_yield_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    docs, skips = read([write(tmp_path / "twin.txt", encoded)])
    assert skips == []
    assert docs[0].text == LEGACY


def test_utf16_markdown_and_jsonl_decode_too(tmp_path: Path) -> None:
    md = write(tmp_path / "a.md", "# Title line\nBody \u00e9.\n".encode("utf-16"))
    jl = write(tmp_path / "b.jsonl", (json.dumps({"text": "Caf\u00e9"}) + "\n").encode("utf-16"))
    docs, skips = read([md, jl])
    assert skips == []
    assert [d.text for d in docs] == ["Title line\n\nBody \u00e9.", "Caf\u00e9"]


# --- skips and errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"Looks like text\x00but is not", "NUL bytes"),
    ],
)
def test_binary_files_are_skipped_with_their_kind(tmp_path: Path, content: bytes,
                                                  kind: str) -> None:
    path = write(tmp_path / "report.txt", content)
    docs, skips = read([path])
    assert docs == []
    assert skips == [(path.as_posix(), f"binary file ({kind})")]


def test_unsupported_type_in_folder_is_reported_but_named_file_is_read(tmp_path: Path) -> None:
    odd = write(tmp_path / "in" / "notes.log", SENTENCE)
    write(tmp_path / "in" / "README", "No extension.")
    docs, skips = read([tmp_path / "in"])
    assert docs == []
    folder = (tmp_path / "in").as_posix()
    assert skips == [(f"{folder}/README", "unsupported file type (no extension)"),
                     (f"{folder}/notes.log", "unsupported file type .log")]
    docs, skips = read([odd])
    assert [d.text for d in docs] == [SENTENCE] and skips == []


def test_named_file_with_unknown_type_is_still_skipped_when_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.dat", b"\x89PNG\r\n\x1a\n")
    assert read([path])[1] == [(path.as_posix(), "binary file (PNG)")]


def test_missing_path_raises_before_any_document_is_read(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", SENTENCE)
    missing = tmp_path / "nope" / "missing.txt"
    with pytest.raises(InputError, match="^no such file or folder: .*missing.txt$"):
        iter_documents([good, missing])


def test_no_paths_at_all_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no input"):
        iter_documents([])


def test_whitespace_only_documents_are_skipped_as_empty(tmp_path: Path) -> None:
    blank = write(tmp_path / "blank.txt", " \n\t\n")
    scripted = write(tmp_path / "only-script.html", "<script>x()</script><p hidden>y</p>")
    docs, skips = read([blank, scripted])
    assert docs == []
    assert skips == [(blank.as_posix(), "empty"), (scripted.as_posix(), "empty")]


def test_read_failure_is_reported_and_other_files_continue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write(tmp_path / "a-locked.txt", "Locked.")
    write(tmp_path / "b-open.txt", "Open report.")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    docs, skips = read([tmp_path])
    assert [d.text for d in docs] == ["Open report."]
    assert skips == [(locked.as_posix(), "cannot read file: Permission denied")]


@pytest.mark.skipif(IS_ROOT, reason="root can read files without read permission")
def test_file_without_read_permission_is_reported(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "Locked.")
    locked.chmod(0)
    try:
        assert read([locked]) == ([], [(locked.as_posix(), "cannot read file: Permission denied")])
    finally:
        locked.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_files_are_reported_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read([fifo])[1] == [(fifo.as_posix(), "not a regular file")]
    assert read([tmp_path])[1] == [(fifo.as_posix(), "not a regular file")]


def test_same_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", SENTENCE)
    docs, skips = read([tmp_path, path])
    assert len(docs) == 1
    assert skips == [(path.as_posix(), "already read")]


def test_symlink_loop_in_folder_terminates(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "x.txt", SENTENCE)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    docs, _ = read([tmp_path])
    assert [d.text for d in docs] == [SENTENCE]


def test_without_on_skip_bad_inputs_are_dropped_quietly(tmp_path: Path) -> None:
    write(tmp_path / "bad.jsonl", "{nope\n")
    write(tmp_path / "good.txt", SENTENCE)
    assert [d.text for d in iter_documents([tmp_path])] == [SENTENCE]


# --- output folder checks -----------------------------------------------------------


def test_output_dir_existing_folder_or_creatable_path_passes(tmp_path: Path) -> None:
    check_output_dir(tmp_path)
    check_output_dir(tmp_path / "new" / "deeper")
    assert not (tmp_path / "new").exists()


def test_output_dir_that_is_a_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "out", "not a folder")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_output_dir(path)


def test_output_dir_under_a_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = write(tmp_path / "blocker", "a file")
    with pytest.raises(OutputError, match="blocker is not a folder"):
        check_output_dir(blocker / "out" / "run")


@pytest.mark.skipif(IS_ROOT, reason="root may write into read-only folders")
def test_output_dir_in_read_only_folder_is_rejected(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="not writable"):
            check_output_dir(locked)
        with pytest.raises(OutputError, match="not writable"):
            check_output_dir(locked / "out")
    finally:
        locked.chmod(0o755)


def test_output_dir_denied_by_the_system_is_rejected_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for a read-only mount, which a test cannot create without privileges.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OutputError) as info:
        check_output_dir(tmp_path)
    assert str(info.value) == f"output folder is not writable: {tmp_path}"
    with pytest.raises(OutputError, match="is not writable$"):
        check_output_dir(tmp_path / "new")
