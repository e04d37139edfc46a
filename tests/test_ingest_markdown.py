"""Markdown input: CommonMark probes, each with the text a reader should get, worked out
by hand from the CommonMark rules (compared line by line, blank lines aside)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.ingest import iter_documents
from graphkit.ingest.markdown import markdown_to_text

# (name, source, the non-blank lines a reader should get)
PROBES = [
    ("heading with closing hashes and emphasis",
     "## The *Harbour Front* responds ##\n",
     ["The Harbour Front responds"]),
    ("link whose URL holds parentheses and a title",
     'The [Sand River Militia](https://example.org/wiki/Militia_(Sand_River) "profile") '
     "denied it.\n",
     ["The Sand River Militia denied it."]),
    ("link text holding brackets",
     "Reports named [the [Harbour] Front](https://example.org/hf) as the source.\n",
     ["Reports named the [Harbour] Front as the source."]),
    ("backslash escapes are literal characters, not emphasis",
     "The leaflet said \\*no talks\\* and \\_never\\_.\n",
     ["The leaflet said *no talks* and _never_."]),
    ("inline code keeps markup as written",
     "The file was named `**draft**` in the archive.\n",
     ["The file was named **draft** in the archive."]),
    ("entities are decoded",
     "Talks at the Caf&eacute; Akaro &amp; the hall.\n",
     ["Talks at the Café Akaro & the hall."]),
    ("hard line break with a backslash",
     "The first convoy left at dawn.\\\nThe second stayed.\n",
     ["The first convoy left at dawn.", "The second stayed."]),
    ("ordered list loses its numbers",
     "1. Talks began in March.\n2. Talks failed in May.\n",
     ["Talks began in March.", "Talks failed in May."]),
    ("table rows are lines, cells separated by a space",
     "| Group | Leader |\n| --- | :---: |\n| Harbour Front | Mara Sel |\n"
     "| Sand River Militia | Tomas Berg |\n",
     ["Group Leader", "Harbour Front Mara Sel", "Sand River Militia Tomas Berg"]),
    ("HTML block: tags go, script and hidden text dropped",
     '<div class="note">\n<p>The group <b>denied</b> it.</p>\n<script>alert("x")</script>\n'
     '</div>\n\nAfter the statement, <span style="display:none">secret</span>talks resumed.\n',
     ["The group denied it.", "After the statement, talks resumed."]),
    ("fenced code holding a shorter fence stays code",
     "````\n```\n**still code**\n```\n````\n",
     ["```", "**still code**", "```"]),
    ("indented code keeps its markup",
     "Before the code.\n\n    **not bold** in code\n\nAfter the code.\n",
     ["Before the code.", "**not bold** in code", "After the code."]),
]


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize(("source", "expected"), [p[1:] for p in PROBES],
                         ids=[p[0] for p in PROBES])
def test_markdown_probe_reads_as_commonmark_says(source: str, expected: list[str]) -> None:
    assert lines(markdown_to_text(source)) == expected


def test_blocks_are_paragraphs_and_a_wrapped_paragraph_is_one_line() -> None:
    source = ("Fighting closed\n=====\n\nThe Harbour Front said the road\nwould stay closed.\n"
              "> Elders asked\n> for calm.\n\n- one item\n- another item\n\n---\n"
              "[hf]: https://example.org/hf\n")
    assert markdown_to_text(source) == (
        "Fighting closed\n\nThe Harbour Front said the road would stay closed.\n\n"
        "Elders asked for calm.\n\none item\nanother item")


def test_markdown_file_is_read_through_the_ingest_stage(tmp_path: Path) -> None:
    path = tmp_path / "note.markdown"
    path.write_text("# Update\n\nThe [Harbour Front](https://example.org) met *envoys*.\n",
                    encoding="utf-8")
    docs = list(iter_documents([path]))
    assert [(d.text, d.title) for d in docs] == [("Update\n\nThe Harbour Front met envoys.",
                                                  None)]
