"""The article of an HTML page: its main content, without navigation, asides or footer.

A page with chrome (landmark elements such as ``<nav>``, ``<aside>``, ``<footer>`` or
``<article>``, their ARIA roles, or the class and id words sites use for them) is handed
to trafilatura, a kept main-content extractor, after everything the reader hides has
been taken out of it (scripts, styles, templates, ``hidden`` elements, inline
``display:none``, ``visibility:hidden`` and ``opacity:0``), so the extractor can only
choose among visible text. Its choice comes back as HTML and is read by the same reader
as every other page, so paragraphs, lines and table cells end the same way. A page
without chrome (a fragment, a bare page), or one where the extractor finds nothing, is
read whole.

>>> page = ('<html><head><title>Talks</title></head><body>'
...         '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
...         '<article><h1>Talks resume in Port Calder</h1>'
...         '<p>The Harbour Front said on Monday that it had resumed talks with '
...         'provincial elders after a pause of two months.</p>'
...         '<p>A spokesman for the group said the next round would be held in the '
...         'old market hall, with observers from three districts.</p></article>'
...         '<aside><h2>Related stories</h2><p><a href="/x">Militia denies raid</a></p>'
...         '</aside><footer>Copyright Example News</footer></body></html>')
>>> title, text = html_to_text(page)
>>> title
'Talks'
>>> print(text)  # doctest: +NORMALIZE_WHITESPACE
Talks resume in Port Calder
<BLANKLINE>
The Harbour Front said on Monday that it had resumed talks with provincial elders after
a pause of two months.
<BLANKLINE>
A spokesman for the group said the next round would be held in the old market hall,
with observers from three districts.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from graphkit.ingest.htmltext import DROPPED, is_hidden, visible_text

# An XML declaration naming an encoding: lxml refuses it in an already decoded string.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")

if TYPE_CHECKING:  # lxml is imported by the function that needs it
    import lxml.html


def html_to_text(source: str) -> tuple[str | None, str]:
    """``(title, text)`` of an HTML page: the article when the page has chrome around one,
    else all of its visible text. The title is the page's ``<title>`` (None when absent).

    >>> html_to_text('<p>Raid reported<p>Group denied it')
    (None, 'Raid reported\\n\\nGroup denied it')
    """
    reading = visible_text(source)
    if reading.page_chrome:
        article = main_content(source)
        if article:
            return reading.title, article
    return reading.title, reading.text


def main_content(source: str) -> str | None:
    """The text of the page's main content as trafilatura finds it, or None when it finds
    nothing (or cannot parse the page)."""
    import lxml.etree
    import lxml.html
    import trafilatura

    # Its log speaks of its own heuristics ("discarding data"); the caller falls back.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    parser = lxml.html.HTMLParser()
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", source, count=1),
                                             parser=parser)
    except (ValueError, lxml.etree.LxmlError):
        return None
    # A fatal error (nesting deeper than 256 elements) means the tree lost the rest of
    # the page: the extractor would choose among part of it, so the reader reads it all.
    if any(error.level == lxml.etree.ErrorLevels.FATAL for error in parser.error_log):
        return None
    _drop_hidden(tree)
    try:
        found = trafilatura.extract(tree, output_format="html", include_tables=True,
                                    include_comments=False, include_images=False,
                                    include_links=False, include_formatting=False)
    except RecursionError:  # a pathological tree; the reader is not recursive
        return None
    if not found:
        return None
    return visible_text(found).text or None


def _drop_hidden(tree: lxml.html.HtmlElement) -> None:
    """Take out of ``tree`` every element the reader would not show (text after an
    element, its tail, belongs to the parent and stays)."""
    hidden = [element for element in tree.iter()
              if isinstance(element.tag, str)
              and (element.tag in DROPPED or is_hidden(element.attrib.items()))]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()
