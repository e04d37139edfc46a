"""Encodings as real files have them: UTF-8 with a bad byte, UTF-16 without a byte-order
mark, and HTML charset labels resolved as browsers resolve them."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli import main
from graphkit.errors import InputWarning
from graphkit.ingest import iter_documents
from graphkit.model import Document

# “Zürich”, said the Harbour Front. <0x97> The naïve reading.
# Bytes: “ 0-2, Z 3, ü 4-5, "rich" 6-9, ” 10-12, ", said the Harbour Front." 13-37,
# a space at 38, so the stray cp1252 dash byte 0x97 is byte 39.
ONE_BAD_BYTE = (b"\xe2\x80\x9cZ\xc3\xbcrich\xe2\x80\x9d, said the Harbour Front. \x97 "
                b"The na\xc3\xafve reading.")
ONE_BAD_TEXT = "\u201cZ\u00fcrich\u201d, said the Harbour Front. \ufffd The na\u00efve reading."


def read_warned(paths: list[Path]) -> tuple[list[Document], list[str], list[tuple[str, str]]]:
    """Documents, the InputWarning messages and the skips of reading ``paths``."""
    skips: list[tuple[str, str]] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = list(iter_documents(paths, on_skip=lambda where, why: skips.append((where, why))))
    messages = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    return docs, messages, skips


def test_utf8_with_one_invalid_byte_stays_utf8_with_a_warning_naming_file_and_offset(
        tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    path.write_bytes(ONE_BAD_BYTE)
    docs, messages, skips = read_warned([path])
    assert skips == []
    assert [d.text for d in docs] == [ONE_BAD_TEXT]
    assert messages == [f"{path.as_posix()}: invalid UTF-8 at byte 39 replaced with U+FFFD"]


def test_several_invalid_bytes_are_one_warning_with_their_count(tmp_path: Path) -> None:
    path = tmp_path / "two.md"
    # "é" at 0-1, then "x" 2, bad 0xff at 3, "y" 4, bad 0xfe at 5, "ü" 6-7
    path.write_bytes(b"\xc3\xa9x\xffy\xfe\xc3\xbc")
    docs, messages, _ = read_warned([path])
    assert [d.text for d in docs] == ["\u00e9x\ufffdy\ufffd\u00fc"]
    assert messages == [f"{path.as_posix()}: invalid UTF-8 at byte 3 replaced with U+FFFD "
                        "(2 places)"]


def test_legacy_file_is_still_detected_and_not_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    text = "\u201cNo talks,\u201d said the caf\u00e9 owner in Z\u00fcrich \u2014 na\u00efvely."
    path.write_bytes(text.encode("cp1252"))
    docs, messages, _ = read_warned([path])
    assert [d.text for d in docs] == [text]
    assert messages == []


def test_jsonl_line_with_an_invalid_byte_names_line_and_file_offset(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    first = json.dumps({"text": "Talks resumed."}).encode() + b"\n"  # bytes 0-26
    # second line: '{"text": "' 27-36, \u201c 37-39, "Denied" 40-45, \u201d 46-48, a space
    # at 49, so 0x97 is byte 50 of the file
    second = b'{"text": "\xe2\x80\x9cDenied\xe2\x80\x9d \x97 the Front."}\n'
    path.write_bytes(first + second)
    docs, messages, skips = read_warned([path])
    assert skips == []
    assert [d.text for d in docs] == ["Talks resumed.", "\u201cDenied\u201d \ufffd the Front."]
    assert messages == [f"{path.as_posix()}:2: invalid UTF-8 at byte 50 replaced with U+FFFD"]


def test_cli_prints_the_replaced_byte_warning_on_one_line_and_builds_the_text(
        tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    # eleven words of 3+7+5+6+4+3+3+5+4+2+4 = 46 letters and 11 spaces: 0x97 is byte 57
    path.write_bytes(b"The Harbour Front allied with the Red Delta Army in 2014 \x97 "
                     b"\xe2\x80\x9cfor good\xe2\x80\x9d.\n")
    result = CliRunner().invoke(main, ["-q", "extract", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {path.as_posix()}: invalid UTF-8 at byte 57 replaced with U+FFFD"]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(r["predicate"] == "alliedWith" and "\u201cfor good\u201d" in r["sentence"]
               for r in rows)


UTF16_TEXT = "Reporters in Z\u00fcrich said the group\u2019s \u201cfa\u00e7ade\u201d held.\n"
CYRILLIC = "\u0413\u0440\u0443\u043f\u043f\u0430 \u0437\u0430\u044f\u0432\u0438\u043b\u0430 " \
           "\u043e \u043f\u0435\u0440\u0435\u043c\u0438\u0440\u0438\u0438.\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [UTF16_TEXT, CYRILLIC], ids=["latin", "cyrillic"])
def test_utf16_without_bom_is_read_not_skipped_as_binary(tmp_path: Path, codec: str,
                                                         text: str) -> None:
    txt = tmp_path / "a.txt"
    txt.write_bytes(text.encode(codec))
    md = tmp_path / "b.md"
    md.write_bytes(("# Title\n\n" + text).encode(codec))
    jl = tmp_path / "c.jsonl"
    jl.write_bytes((json.dumps({"text": text.strip()}, ensure_ascii=False) + "\n").encode(codec))
    docs, messages, skips = read_warned([txt, md, jl])
    assert skips == [] and messages == []
    assert docs[0].text == text
    assert [d.text.strip() for d in docs[1:]] == ["Title\n\n" + text.strip(), text.strip()]


def test_nul_bytes_that_are_not_utf16_text_are_still_binary(tmp_path: Path) -> None:
    # A NUL in every other byte, but the other bytes are control codes: not text.
    path = tmp_path / "data.txt"
    path.write_bytes(b"\x01\x00\x02\x00\x03\x00\x04\x00" * 8)
    assert read_warned([path])[2] == [(path.as_posix(), "binary file (NUL bytes)")]


# \x93 and \x94 are curly quotes and \x96 an en dash in windows-1252; in ISO-8859-1 they
# are C1 control codes, which browsers never show: they read these labels as windows-1252.
LEGACY_PAGE_BODY = "<p>\u201cNo talks\u201d \u2013 said the caf\u00e9 owner.</p>"


@pytest.mark.parametrize("meta", [
    '<meta charset="iso-8859-1">',
    '<meta charset="latin1">',
    "<meta charset=US-ASCII>",
    '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
])
def test_html_latin1_label_is_read_as_windows_1252(tmp_path: Path, meta: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes((f"<html><head>{meta}</head><body>" + LEGACY_PAGE_BODY
                      + "</body></html>").encode("cp1252"))
    docs, _, _ = read_warned([path])
    assert [d.text for d in docs] == ["\u201cNo talks\u201d \u2013 said the caf\u00e9 owner."]
