"""Bytes to text: binary sniffing, encoding choice and light normalisation.

>>> decode_bytes("Caf\\u00e9 talks".encode("utf-16"))
'Café talks'
>>> decode_bytes(b"\\x93Quoted\\x94 in cp1252")
'“Quoted” in cp1252'
>>> binary_kind(b"%PDF-1.7 ...")
'PDF'
>>> normalize_text("one\\r\\ntwo\\u00a0three")
'one\\ntwo three'
"""

from __future__ import annotations

import codecs
import re

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


def binary_kind(data: bytes) -> str | None:
    """A short name for the binary format of ``data``, or None when it may be text.

    NUL bytes only mean "binary" when no UTF-16/32 byte-order mark explains them.

    >>> binary_kind(b"\\x89PNG\\r\\n"), binary_kind(b"a\\x00b"), binary_kind(b"plain")
    ('PNG', 'NUL bytes', None)
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if bom_encoding(data) is None and b"\x00" in data[:SNIFF_BYTES]:
        return "NUL bytes"
    return None


def declared_html_charset(data: bytes) -> str | None:
    """The codec named by an HTML ``<meta charset>`` near the start, if Python knows it.

    >>> declared_html_charset(b'<meta charset="windows-1252"><p>x')
    'cp1252'
    >>> declared_html_charset(b'<meta charset="no-such-codec">') is None
    True
    """
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


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


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: BOM, then UTF-8, then ``declared``, then detection, then cp1252.

    A byte-order mark is dropped from the result.

    >>> decode_bytes(b"\\xef\\xbb\\xbfplain"), decode_bytes(b"na\\xefve", declared="latin-1")
    ('plain', 'naïve')
    """
    bom = bom_encoding(data)
    if bom is not None:
        return data.decode(bom, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in (declared, _detected_encoding(data)):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    # cp1252 leaves five bytes undefined; replace them rather than give up on the file.
    return data.decode("cp1252", errors="replace")


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
