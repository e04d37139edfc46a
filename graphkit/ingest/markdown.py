"""Markdown to readable plain text by removing only the obvious markup.

No Markdown library: the aim is prose for sentence splitting, not faithful rendering,
so headings, links, emphasis, quotes and bullets lose their marks and nothing else.

>>> print(markdown_to_text("# Talks\\n\\nThe **group** met [envoys](https://example.org)."))
Talks
<BLANKLINE>
The group met envoys.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
_HEADING_TAIL = re.compile(r"\s+#+\s*$")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+([^`]+)`+")
# Emphasis markers must hug their text, and underscores must sit at word edges,
# so snake_case names and lone asterisks survive.
_STRONG_STAR = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_STRONG_UNDER = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_EM_STAR = re.compile(r"\*(?=\S)([^*]+?)(?<=\S)\*")
_EM_UNDER = re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def _strip_block(line: str) -> str:
    """Drop line-level marks: heading hashes, quote arrows, bullets."""
    if _HEADING.match(line):
        line = _HEADING_TAIL.sub("", _HEADING.sub("", line, count=1))
    line = _QUOTE.sub("", line, count=1)
    return _BULLET.sub(r"\1", line, count=1)


def _strip_inline(line: str) -> str:
    """Drop inline marks: links keep their text, emphasis keeps its content."""
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    for pattern in (_STRONG_STAR, _STRONG_UNDER, _EM_STAR, _EM_UNDER, _STRIKE):
        line = pattern.sub(r"\1", line)
    return _ESCAPE.sub(r"\1", line)


def markdown_to_text(source: str) -> str:
    """Plain text of a Markdown document, one output line per input line.

    Code fences, horizontal rules, setext underlines and link definitions become blank.

    >>> markdown_to_text("> *Denied*, said __Ali__ of al_Nasr:\\n- see <https://example.org>")
    'Denied, said Ali of al_Nasr:\\nsee https://example.org'
    >>> markdown_to_text("Heading\\n=======\\n```\\ncode stays\\n```")
    'Heading\\n\\n\\ncode stays\\n'
    """
    out: list[str] = []
    in_fence = False
    for line in source.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
        elif in_fence:
            out.append(line)
        elif _RULE.match(line) or _REF_DEFINITION.match(line):
            out.append("")
        else:
            out.append(_strip_inline(_strip_block(line)))
    return "\n".join(out)
