"""Visible text and title of an HTML page, using only the standard library parser.

Hidden content is dropped (scripts, styles, templates, ``hidden`` or ``aria-hidden``
elements, inline ``display:none``); block elements end lines so sentences never glue.

>>> page = ('<html><head><title>Talks &amp; truce</title><style>p{}</style></head>'
...         '<body><h1>Report</h1><p>The group met.<span hidden>x</span></p>'
...         '<script>var a = 1;</script><p>Talks failed.</p></body></html>')
>>> title, text = html_to_text(page)
>>> title
'Talks & truce'
>>> print(text)
Report
<BLANKLINE>
The group met.
<BLANKLINE>
Talks failed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe"})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
})
# Tags that may stay inside <head>; any other start tag means the body has begun.
_HEAD_CONTENT = frozenset({
    "title", "meta", "link", "script", "style", "base", "noscript", "template",
})
_PARAGRAPH = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl",
    "table", "section", "article", "header", "footer", "aside", "nav", "main",
    "figure", "form", "fieldset", "address", "details", "hr",
})
_LINE = frozenset({
    "br", "div", "li", "dt", "dd", "tr", "caption", "figcaption", "summary",
    "option", "legend", "body", "html",
})
_CELL = frozenset({"td", "th"})
# An open element of these kinds is closed by the start of a sibling of the same kind.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
_BREAKS_P = _PARAGRAPH | (_LINE - {"br", "body", "html"})
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    """True when an element's own attributes hide it from readers."""
    for name, value in attrs:
        value = (value or "").strip().lower()
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style":
            style = re.sub(r"\s+", "", value)
            if "display:none" in style or "visibility:hidden" in style:
                return True
    return False


class _TextExtractor(HTMLParser):
    """Collects visible text pieces and the first <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden) of open elements
        self._pre_depth = 0

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._newlines(2)
        elif tag in _LINE:
            self._newlines(1)
        elif tag in _CELL:
            self.parts.append(" ")

    def _newlines(self, wanted: int) -> None:
        """End the line (or paragraph) unless the text already ends that way."""
        present = 0
        for part in reversed(self.parts):
            if part and not part.isspace():
                break
            present += part.count("\n")
        if present < wanted:
            self.parts.append("\n" * (wanted - present))

    def _close_implied(self, tag: str) -> None:
        """Close what HTML closes implicitly before ``tag`` opens."""
        if self._stack and self._stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
            self._pop_to("head")
        top = self._stack[-1][0] if self._stack else ""
        if (top == tag and tag in _SELF_CLOSING_SIBLINGS) or (top == "p" and tag in _BREAKS_P):
            self._pop_to(top)

    def _pop_to(self, tag: str) -> bool:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                for closed, _ in self._stack[index:]:
                    if closed == "pre":
                        self._pre_depth -= 1
                del self._stack[index:]
                return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        if not self._hidden:
            self._break(tag)
        if tag in _VOID:
            return
        if tag == "title" and self.title_parts is None and not self._in("svg"):
            self.title_parts = []
        hidden = self._hidden or tag in _DROPPED or tag in {"head", "title"} or _is_hidden(attrs)
        self._stack.append((tag, hidden))
        if tag == "pre":
            self._pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None and self.title is None:
            self.title = _WHITESPACE.sub(" ", "".join(self.title_parts)).strip() or None
        if self._pop_to(tag) and not self._hidden:
            self._break(tag)

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1][0] == "title" and self.title is None:
            if self.title_parts is not None:
                self.title_parts.append(data)
            return
        if self._hidden:
            return
        data = data.replace("\u00a0", " ")
        if self._pre_depth:
            self.parts.append(re.sub(r"[ \t\f]+", " ", data.replace("\r\n", "\n")))
        else:
            self.parts.append(_WHITESPACE.sub(" ", data))

    def _in(self, tag: str) -> bool:
        return any(open_tag == tag for open_tag, _ in self._stack)


def _tidy(raw: str) -> str:
    """Trim each line, collapse spaces, and keep at most one blank line in a row."""
    lines = [re.sub(r" {2,}", " ", line).strip() for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(source: str) -> tuple[str | None, str]:
    """``(title, text)`` of an HTML document; title is None when absent or blank.

    >>> html_to_text('<div style="display: none">secret</div><div>A</div><div>B</div>')
    (None, 'A\\nB')
    >>> html_to_text('<table><tr><td>Group</td><td>Leader</td></tr></table>')[1]
    'Group Leader'
    """
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    if parser.title is None and parser.title_parts:  # <title> never closed
        parser.title = _WHITESPACE.sub(" ", "".join(parser.title_parts)).strip() or None
    return parser.title, _tidy("".join(parser.parts))
