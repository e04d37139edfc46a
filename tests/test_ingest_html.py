"""HTML input: saved pages of common layouts read for their article, hidden text dropped,
and reading linear in the size of the page.

The pages under tests/data/pages were written for these tests (invented groups and
places): a news article with navigation, a "Related stories" aside and a footer; a blog
post with a widget sidebar, post navigation and comments; a report with a table of
contents and a sidebar; a wiki-like article with navigation panels and a navbox.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.ingest import iter_documents
from graphkit.ingest.article import html_to_text
from graphkit.model import Document, Statement

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "data" / "pages"

# (page, its <title>, sentences of the article, text of the chrome around it)
LAYOUTS = [
    ("news.html", "Harbour Front and Sand River Militia clash near Port Calder | Coastline Daily",
     ["The Harbour Front said on Tuesday that its fighters had clashed with the Sand River "
      "Militia on the outskirts of Port Calder, the second exchange of fire between the two "
      "groups this month.",
      "The Sand River Militia denied that it had started the clash and said it remained "
      "committed to talks brokered by provincial elders.",
      "Provincial officials said two people had been wounded and that the coast road would "
      "stay closed until further notice."],
     ["Red Delta Army forms alliance with Iron Gate Legion", "Related stories",
      "Iron Gate Legion announces merger", "Privacy policy", "All rights reserved",
      "Skip to content", "dataLayer",
      # in the article, but styled opacity: 0
      "announced an alliance with the Cedar Hills Front"]),
    ("blog.html", "Notes from the Verrin valley \u2013 Field Notebook",
     ["I spent the last two weeks in the Verrin valley, where the Northern Hill Movement has "
      "controlled most of the upland villages since 2017.",
      "Local teachers described a split in the Northern Hill Movement last winter, after "
      "which a faction calling itself the Stone Bridge Movement moved into the lower valley.",
      "We do not know who is in charge any more, said a shopkeeper in Akaro."],
     ["Eastern Ridge Council allies with the Southern Dawn Brigade", "Recent Posts",
      "pledged allegiance to the Western Reach Army", "Previous: Market day in Akaro",
      "Proudly powered", "A researcher's blog", "margin"]),
    ("report.html", "Armed groups in Mosra province: annual review 2020",
     ["In June the Eastern Ridge Council and the Southern Dawn Brigade announced a joint "
      "command for the eastern districts, ending two years of rivalry.",
      "Eastern Ridge Council 112",
      "The Centre expects the joint command to hold through the coming dry season, when "
      "fighting usually increases."],
     ["Free Coast Brigades split from the Red Delta Army", "Contents", "Other reports",
      "Sign up for monthly updates", "Reports may be quoted", "Regional Monitoring Centre |"]),
    ("wiki.html", "Iron Gate Legion - Openpedia",
     ["In 2014 the Iron Gate Legion took control of the road between the hills and the "
      "coast, and it has collected tolls on that road since then.",
      "The Iron Gate Legion has been a rival of the Western Reach Army since 2012, and the "
      "two groups have fought repeatedly over the quarry towns."],
     ["Harbour Front joins the Northern Coalition", "Sand River Militia allied with the Cedar",
      "Random article", "Log in", "last edited", "free licence", "client-js"]),
]


def read_page(name: str) -> Document:
    docs = list(iter_documents([PAGES / name]))
    assert len(docs) == 1
    return docs[0]


@pytest.mark.parametrize(("page", "title", "article", "chrome"), LAYOUTS,
                         ids=[layout[0] for layout in LAYOUTS])
def test_page_reads_as_its_article_without_navigation_asides_or_footer(
        page: str, title: str, article: list[str], chrome: list[str]) -> None:
    doc = read_page(page)
    assert doc.title == title
    for sentence in article:
        assert sentence in doc.text
    for furniture in chrome:
        assert furniture not in doc.text


def test_article_paragraphs_stay_paragraphs() -> None:
    text = read_page("news.html").text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Harbour Front and Sand River Militia clash near Port Calder"
    assert paragraphs[1].startswith("The Harbour Front said on Tuesday")
    assert paragraphs[1].endswith("between the two groups this month.")
    assert len(paragraphs) == 6  # the headline and five visible paragraphs


def test_sidebar_headline_gives_no_statement_and_evidence_indexes_the_text(extractor) -> None:
    doc = read_page("news.html")
    statements: list[Statement] = [s for _doc, found in extractor.extract([doc]) for s in found]
    named = {label for s in statements for label in (s.subject.label, s.object.label)}
    assert {"Harbour Front", "Sand River Militia"} <= named
    assert not named & {"Red Delta Army", "Iron Gate Legion", "Cedar Hills Front"}
    for s in statements:
        assert doc.text[s.evidence.start:s.evidence.end] == s.evidence.sentence


def test_page_without_chrome_is_read_whole() -> None:
    page = "<html><body><p>Raid reported.</p><ul><li>First item</li></ul></body></html>"
    assert html_to_text(page) == (None, "Raid reported.\n\nFirst item")


def test_chrome_page_where_the_extractor_finds_nothing_falls_back_to_all_visible_text(
        ) -> None:
    page = ("<html><head><title>Index</title></head><body><nav><ul><li><a href='/a'>"
            "Harbour Front</a></li></ul></nav></body></html>")
    assert html_to_text(page) == ("Index", "Harbour Front")


def test_chrome_page_nested_past_the_parser_limit_is_read_whole() -> None:
    # lxml stops building the tree 256 elements deep: the article would lose the rest.
    page = ("<html><body><nav>Home</nav>" + "<div>" * 300 +
            "<p>The Harbour Front said the road would stay closed.</p></body></html>")
    assert html_to_text(page)[1] == (
        "Home\n\nThe Harbour Front said the road would stay closed.")


def test_opacity_zero_hides_text_like_display_none() -> None:
    page = ('<p>Seen.</p><p style="opacity:0">Unseen one.</p>'
            '<p style="color: red; OPACITY: 0.0 !important">Unseen two.</p>'
            '<div style="opacity: 0%"><p>Unseen three.</p></div>'
            '<p style="opacity: 0.5">Half seen.</p><p style="opacity:1">Fully seen.</p>')
    assert html_to_text(page) == (None, "Seen.\n\nHalf seen.\n\nFully seen.")


def test_opacity_zero_is_dropped_before_the_article_is_chosen() -> None:
    page = ("<html><body><nav><a href='/'>Home</a></nav><article><h1>Coast road</h1>"
            "<p>The Harbour Front said on Monday that it would keep the coast road closed "
            "until the elders of Port Calder had met its commanders.</p>"
            "<p style='opacity: 0'>The Harbour Front allied with the Red Delta Army.</p>"
            "<template><p>Template text that no reader sees.</p></template>"
            "<p>Residents said the market would open again on Friday.</p></article>"
            "</body></html>")
    text = html_to_text(page)[1]
    assert "keep the coast road closed" in text and "market would open again" in text
    assert "Red Delta Army" not in text and "Template text" not in text


def test_whitespace_between_blocks_and_stray_end_tags_read_in_linear_time() -> None:
    # 1.2 MB of "<div> " took over six minutes when each block end looked back over all
    # the white space before it; 50,000 stray end tags under 50,000 open elements took
    # as long. Linear, both are read in a few seconds; the limit is generous.
    script = ("from graphkit.ingest.article import html_to_text\n"
              "assert html_to_text('<div> ' * 100_000) == (None, '')\n"
              "assert html_to_text('<div>' * 50_000 + 'x' + '</span>' * 50_000)[1] == 'x'\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, timeout=90,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
