"""Visible text and title of an HTML page, read whole with the standard library parser.

Hidden content is dropped (scripts, styles, templates, ``hidden`` or ``aria-hidden``
elements, inline ``display:none``, ``visibility:hidden`` or ``opacity:0``); block
elements end lines so sentences never glue. This reader takes every visible word; which
of them are the article (not its navigation, asides and footer) is decided in
:mod:`graphkit.ingest.article`, which also uses it to turn its choice back into text.
Work is linear in the input: no step looks back over what was read.

>>> page = ('<html><head><title>Talks &amp; truce</title><style>p{}</style></head>'
...         '<body><h1>Report</h1><p>The group met.<span hidden>x</span></p>'
...         '<script>var a = 1;</script><p>Talks failed.</p></body></html>')
>>> reading = visible_text(page)
>>> reading.title, reading.page_chrome
('Talks & truce', False)
>>> print(reading.text)
Report
<BLANKLINE>
The group met.
<BLANKLINE>
Talks failed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import NamedTuple

DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe"})
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
# Declarations that hide an element; the style is read lower-cased without white space.
_HIDING_STYLE = re.compile(
    r"(?:^|[;{])(?:display:none|visibility:hidden|opacity:(?=[.0])0*\.?0*%?)(?:!important)?(?:;|}|$)")
# What marks a page with chrome around its article: landmark elements, their ARIA roles,
# and the class or id words that sites use for the same parts.
_CHROME_TAGS = frozenset({"nav", "aside", "header", "footer", "main", "article"})
_CHROME_ROLES = frozenset({"navigation", "banner", "complementary", "contentinfo", "main",
                           "search"})
_CHROME_WORDS = frozenset({"nav", "navbar", "navigation", "menu", "sidebar", "related",
                           "footer", "masthead", "breadcrumb", "breadcrumbs", "toc",
                           "widget", "share", "comments"})
_WORD = re.compile(r"[a-z]+")


class VisibleText(NamedTuple):
    """What the reader found: the first ``<title>``, the visible text, and whether the
    page has chrome (navigation, asides, a footer) that an article reader should skip."""

    title: str | None
    text: str
    page_chrome: bool


def is_hidden(attrs: Iterable[tuple[str, str | None]]) -> bool:
    """True when an element's own attributes hide it from readers.

    >>> is_hidden([("style", "color: red; Opacity: 0")]), is_hidden([("style", "opacity:.5")])
    (True, False)
    >>> is_hidden([("aria-hidden", "true")]), is_hidden([("style", "display: block")])
    (True, False)
    """
    for name, value in attrs:
        value = (value or "").strip().lower()
        if name == "hidden" or (name == "aria-hidden" and value == "true"):
            return True
        if name == "style" and _HIDING_STYLE.search(re.sub(r"\s+", "", value)):
            return True
    return False


def _is_chrome(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """True for an element that is page furniture rather than article text."""
    if tag in _CHROME_TAGS:
        return True
    for name, value in attrs:
        if name == "role" and (value or "").strip().lower() in _CHROME_ROLES:
            return True
        if name in {"class", "id"} and not _CHROME_WORDS.isdisjoint(
                _WORD.findall((value or "").lower())):
            return True
    return False


class _TextExtractor(HTMLParser):
    """Collects visible text pieces and the first <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.page_chrome = False
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden) of open elements
        self._open: Counter[str] = Counter()  # how many of each tag are open
        self._open_newlines = 0  # line ends at the end of the text, after its last word

    @property
    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def _break(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._newlines(2)
        elif tag in _LINE:
            self._newlines(1)
        elif tag in _CELL:
            self._emit(" ")

    def _emit(self, part: str) -> None:
        """Append a piece of text, keeping count of the line ends it leaves open."""
        if not part:
            return
        self.parts.append(part)
        self._open_newlines = self._open_newlines + part.count("\n") if part.isspace() else 0

    def _newlines(self, wanted: int) -> None:
        """End the line (or paragraph) unless the text already ends that way.

        The count of trailing line ends is kept as text is emitted: looking back through
        the parts instead made long runs of white space between blocks quadratic.
        """
        if self._open_newlines < wanted:
            self._emit("\n" * (wanted - self._open_newlines))

    def _close_implied(self, tag: str) -> None:
        """Close what HTML closes implicitly before ``tag`` opens."""
        if self._stack and self._stack[-1][0] == "head" and tag not in _HEAD_CONTENT:
            self._pop_to("head")
        top = self._stack[-1][0] if self._stack else ""
        if (top == tag and tag in _SELF_CLOSING_SIBLINGS) or (top == "p" and tag in _BREAKS_P):
            self._pop_to(top)

    def _pop_to(self, tag: str) -> bool:
        """Close ``tag`` and everything opened inside it; False when it is not open.

        The count of open tags answers "not open" at once, so a stray end tag costs
        nothing however deep the page; every element scanned here is also closed.
        """
        if not self._open[tag]:
            return False
        index = len(self._stack) - 1
        while self._stack[index][0] != tag:
            index -= 1
        for closed, _ in self._stack[index:]:
            self._open[closed] -= 1
        del self._stack[index:]
        return True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        if not self._hidden:
            self._break(tag)
        if tag in _VOID:
            return
        if tag == "title" and self.title_parts is None and not self._open["svg"]:
            self.title_parts = []
        hidden = self._hidden or tag in DROPPED or tag in {"head", "title"} or is_hidden(attrs)
        if not hidden and not self.page_chrome:
            self.page_chrome = _is_chrome(tag, attrs)
        self._stack.append((tag, hidden))
        self._open[tag] += 1

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
        if self._open["pre"]:
            self._emit(re.sub(r"[ \t\f]+", " ", data.replace("\r\n", "\n")))
        else:
            self._emit(_WHITESPACE.sub(" ", data))


def _tidy(raw: str) -> str:
    """Trim each line, collapse spaces, and keep at most one blank line in a row."""
    lines = [re.sub(r" {2,}", " ", line).strip() for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def visible_text(source: str) -> VisibleText:
    """Title, visible text and chrome flag of an HTML document (or fragment); the title
    is None when absent or blank.

    >>> visible_text('<div style="display: none">secret</div><div>A</div><div>B</div>')
    VisibleText(title=None, text='A\\nB', page_chrome=False)
    >>> visible_text('<table><tr><td>Group</td><td>Leader</td></tr></table>').text
    'Group Leader'
    >>> visible_text('<nav>Home</nav><p>Talks failed.</p>').page_chrome
    True
    """
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    if parser.title is None and parser.title_parts:  # <title> never closed
        parser.title = _WHITESPACE.sub(" ", "".join(parser.title_parts)).strip() or None
    return VisibleText(parser.title, _tidy("".join(parser.parts)), parser.page_chrome)
