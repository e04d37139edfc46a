"""Bytes to text: binary sniffing, encoding choice and light normalisation.

>>> decode_bytes("Caf\\u00e9 talks".encode("utf-16"))
'Café talks'
>>> decode_bytes(b"\\x93Quoted\\x94 in cp1252")
'“Quoted” in cp1252'
>>> decoded = decode("\\u201cQuoted\\u201d".encode() + b" and one bad byte \\xff")
>>> decoded.text[:8], decoded.text[-1] == "\\ufffd", decoded.replaced, decoded.first_bad
('“Quoted”', True, 1, 30)
>>> decode_bytes("UTF-16 without a byte-order mark".encode("utf-16-le"))
'UTF-16 without a byte-order mark'
>>> binary_kind(b"%PDF-1.7 ...")
'PDF'
>>> normalize_text("one\\r\\ntwo\\u00a0three")
'one\\ntwo three'
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

import webencodings

# Signatures of formats people commonly drop into an input folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x1f\x8b", "GZIP"),
)
# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``data``, if any.

    >>> bom_encoding(b"\\xef\\xbb\\xbfhello"), bom_encoding(b"hello")
    ('utf-8-sig', None)
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


# Control characters no UTF-16 text holds; a sample that decodes to one is not text.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f]")


class Decoded(NamedTuple):
    """Decoded text, and how many invalid UTF-8 sequences were replaced with U+FFFD in
    a file read as UTF-8 (with the byte offset of the first)."""

    text: str
    replaced: int = 0
    first_bad: int | None = None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` is UTF-16 text without a byte-order mark.

    Text in Latin script has a NUL in one byte of nearly every pair (its high byte) and in
    almost none of the other; the sample must then decode strictly to text without control
    characters, so binary data with NULs in it is not taken for text.

    >>> utf16_without_bom("Talks failed.".encode("utf-16-be")), utf16_without_bom(b"a\\x00b")
    ('utf-16-be', None)
    """
    sample = data[:SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    nul_first, nul_second = sample[0::2].count(0), sample[1::2].count(0)
    for codec, zeros, others in (("utf-16-le", nul_second, nul_first),
                                 ("utf-16-be", nul_first, nul_second)):
        if zeros >= pairs / 10 and others <= pairs / 100:
            try:
                text = codecs.getincrementaldecoder(codec)().decode(sample[:pairs * 2])
            except UnicodeDecodeError:
                return None
            return None if _NOT_TEXT.search(text) else codec
    return None


def wide_encoding(data: bytes) -> str | None:
    """The UTF-16/32 codec of ``data`` (named by a byte-order mark, or UTF-16 recognised
    without one); None for byte-oriented text such as UTF-8."""
    bom = bom_encoding(data)
    if bom is not None:
        return None if bom == "utf-8-sig" else bom
    return utf16_without_bom(data)


def binary_kind(data: bytes) -> str | None:
    """A short name for the binary format of ``data``, or None when it may be text.

    NUL bytes only mean "binary" when UTF-16/32 (a byte-order mark, or the NUL pattern
    of UTF-16 text) does not explain them.

    >>> binary_kind(b"\\x89PNG\\r\\n"), binary_kind(b"a\\x00b"), binary_kind(b"plain")
    ('PNG', 'NUL bytes', None)
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:SNIFF_BYTES] and wide_encoding(data) is None:
        return "NUL bytes"
    return None


def declared_html_charset(data: bytes) -> str | None:
    """The codec an HTML ``<meta charset>`` (or ``http-equiv`` content type) near the start
    names, resolved as browsers resolve it (the WHATWG Encoding labels): ``iso-8859-1``,
    ``latin1`` and ``ascii`` mean windows-1252, and a UTF-16 label in a page that an ASCII
    scan could read means UTF-8.

    >>> declared_html_charset(b'<meta charset="iso-8859-1"><p>x')
    'cp1252'
    >>> declared_html_charset(b'<meta http-equiv="Content-Type" content="text/html; '
    ...                       b'charset=Latin1">')
    'cp1252'
    >>> declared_html_charset(b'<meta charset="no-such-codec">') is None
    True
    """
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    encoding = webencodings.lookup(match.group(1).decode("ascii"))
    if encoding is None:
        return None
    if encoding.name in {"utf-16le", "utf-16be"}:
        return "utf-8"
    return str(encoding.codec_info.name)


def _detected_encoding(data: bytes) -> str | None:
    """Ask charset-normalizer (optional) for the most plausible legacy codec."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # On short English text the detector often names cp1250 or stranger codecs that
    # decode the same bytes equally well; prefer cp1252, by far the usual legacy one.
    for match in matches:
        tied = match.percent_chaos <= best.percent_chaos + 0.5
        if tied and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return str(best.encoding)


def _utf8_damage(data: bytes) -> tuple[int, int, int | None]:
    """``(valid, invalid, first)``: how many non-ASCII characters of ``data`` are valid
    UTF-8, how many byte sequences are not, and the offset of the first that is not.

    Only runs of bytes above 127 can hold either, and each is short, so this is linear.

    >>> _utf8_damage("caf\\u00e9 \\u201cok\\u201d".encode() + b" \\x93bad")
    (3, 1, 15)
    """
    valid = invalid = 0
    first = None
    for run in re.finditer(rb"[\x80-\xff]+", data):
        chunk = run.group()
        text = chunk.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - chunk.count("\ufffd".encode())
        valid += len(text) - bad
        invalid += bad
        if bad and first is None:
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError as exc:
                first = run.start() + exc.start
    return valid, invalid, first


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``: BOM, then UTF-16 by its NUL pattern, then UTF-8, then UTF-8 with
    a few bad bytes (or any, after a UTF-8 byte-order mark) replaced, then ``declared``,
    then detection, then cp1252.

    Text that is UTF-8 but for a few invalid sequences (no more of them than valid
    non-ASCII characters) is UTF-8 with those sequences replaced by U+FFFD, reported in
    the result: one bad byte must not turn every accented name into mojibake. Legacy
    8-bit text holds almost no valid UTF-8 sequences, so it still goes to detection. A
    byte-order mark is dropped from the result.

    >>> decode(b"na\\xefve", declared="latin-1")
    Decoded(text='naïve', replaced=0, first_bad=None)
    """
    wide = wide_encoding(data)
    if wide is not None:
        return Decoded(data.decode(wide, errors="replace"))
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if bom:
        data = data[bom:]
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    valid, invalid, first = _utf8_damage(data)
    if bom or invalid <= valid:  # a UTF-8 byte-order mark settles it
        return Decoded(data.decode("utf-8", errors="replace"), invalid,
                       None if first is None else first + bom)
    for encoding in (declared, _detected_encoding(data)):
        if encoding:
            try:
                return Decoded(data.decode(encoding))
            except (UnicodeDecodeError, LookupError):
                continue
    # cp1252 leaves five bytes undefined; replace them rather than give up on the file.
    return Decoded(data.decode("cp1252", errors="replace"))


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of ``data`` as :func:`decode` reads it.

    >>> decode_bytes(b"\\xef\\xbb\\xbfplain"), decode_bytes(b"na\\xefve", declared="latin-1")
    ('plain', 'naïve')
    """
    return decode(data, declared).text


# Characters no output format may carry raw: C0/C1 controls (XML 1.0 forbids most of
# them, so GEXF would not parse), lone surrogates (not encodable as UTF-8) and the two
# non-characters XML also forbids. Tab and line feed are ordinary text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85")


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char in _LINE_BREAKS:
        return "\n"
    return " " if char < "\ud800" else "\ufffd"


def normalize_text(text: str) -> str:
    """Text every later stage can carry: ``\\r\\n`` becomes ``\\n`` and no-break spaces become
    spaces; control characters become a space (line-breaking ones a ``\\n``) and lone
    surrogates or XML non-characters become U+FFFD, one character for one, so offsets into
    the result stay simple.

    >>> normalize_text("a\\u00a0b\\r\\nc\\n")
    'a b\\nc\\n'
    >>> normalize_text("bell\\x07 page\\x0cend\\rold \\ud800 \\x85")
    'bell  page\\nend\\nold \\ufffd \\n'
    """
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    return _UNSAFE.sub(_replacement, text)


def single_line(text: str) -> str:
    """A metadata value or id safe to print on one line: ``normalize_text``, then every
    line break or tab becomes a space.

    >>> single_line("Wire\\n story\\t\\x00 two")
    'Wire  story   two'
    """
    return re.sub(r"[\n\t\u2028\u2029]", " ", normalize_text(text))
