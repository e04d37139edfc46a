"""Markdown to readable plain text: parsed by markdown-it-py (CommonMark, with tables and
strikethrough), rendered to HTML and read by the same reader as HTML pages.

So every block ends the way it ends in a page: headings, paragraphs, quotes, lists and
code blocks are paragraphs (a blank line between them), list items and table rows are
lines, table cells are separated by a space, and the wrapped lines of one paragraph join
into one line. Marks go and their content stays: emphasis, strikethrough, inline code,
link text (the URL is dropped; an autolink's text is its URL), an image's alt text, and
backslash escapes. Code blocks keep their text, line by line. Raw HTML is read as in a
page: its tags go, scripts, styles and hidden elements are dropped with their content.
Link reference definitions and horizontal rules leave nothing.

>>> print(markdown_to_text("# Talks\\n\\nThe **group** met [envoys](https://example.org)."))
Talks
<BLANKLINE>
The group met envoys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graphkit.ingest.htmltext import visible_text

if TYPE_CHECKING:  # markdown-it is imported by the function that needs it
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token


def _image_as_alt_text(renderer: RendererHTML, tokens: Sequence[Token], idx: int,
                       options: Any, env: Any) -> str:
    """An image renders as its alt text, so a caption-like description stays readable."""
    from markdown_it.common.utils import escapeHtml

    children = tokens[idx].children or []
    return escapeHtml(renderer.renderInlineAsText(children, options, env))


def markdown_to_text(source: str) -> str:
    """Plain text of a Markdown document.

    >>> markdown_to_text("> *Denied*, said __Ali__ of al_Nasr:\\n- see <https://example.org>")
    'Denied, said Ali of al_Nasr:\\n\\nsee https://example.org'
    >>> markdown_to_text("Heading\\n=======\\n```\\ncode stays\\n```")
    'Heading\\n\\ncode stays'
    """
    from markdown_it import MarkdownIt

    # Deep nesting past markdown-it's default limit of 20 would stop it reading the
    # rest of the block; a quote inside a list inside a quote is ordinary in Markdown.
    md = MarkdownIt("commonmark", {"maxNesting": 100}).enable(["table", "strikethrough"])
    md.add_render_rule("image", _image_as_alt_text)
    return visible_text(md.render(source)).text
