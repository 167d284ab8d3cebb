"""Markdown articles read as a reader sees them: front matter is metadata, each block a
paragraph, markup dropped, a wrapped line one line. Read as plain text, the front matter
was the title ('---') and paragraphs, and a paragraph wrapped at 80 columns was two."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.ingest import IngestError, parse_named_file

STORY = b"""---
title: "Inflation falls to 2.1% in April"
author: Priya Raman
date: 2024-05-15
source: Ledger
tags: [economy, inflation]
---

# Inflation falls to 2.1% in April

**LONDON** \xe2\x80\x94 Inflation fell to **2.1%**, the [ONS](https://ons.example) said.

> "This is welcome news," the chancellor said.
> "But the job is not done."

## What it means

- Markets price a June cut.
- Economists expected `2.3%`.

Economists said services inflation remained "sticky"
and would keep the bank cautious.
"""


def test_a_markdown_story_reads_as_its_reader_sees_it() -> None:
    [article] = parse_named_file("inflation.md", STORY)
    assert article.title == "Inflation falls to 2.1% in April"
    assert [p.text for p in article.paragraphs] == [
        "LONDON \u2014 Inflation fell to 2.1%, the ONS said.",
        '"This is welcome news," the chancellor said. "But the job is not done."',
        "What it means",
        "Markets price a June cut.",
        "Economists expected 2.3%.",
        'Economists said services inflation remained "sticky" and would keep the bank cautious.',
    ]
    assert article.published == date(2024, 5, 15)
    assert article.source == "Ledger"
    assert article.meta == {"author": "Priya Raman"}
    assert article.external_id == "inflation"


@pytest.mark.parametrize(
    ("data", "title", "first"),
    [
        (b"# Port strike\n\nDock workers struck.\n", "Port strike", "Dock workers struck."),
        (b"+++\ntitle = 'Budget'\n+++\nThe council voted.\n", "Budget", "The council voted."),
        (b"Port strike\n\nDock workers struck.\n", "Port strike", "Dock workers struck."),
    ],
    ids=["first-heading", "toml-front-matter", "first-line"],
)
def test_the_title_is_the_front_matters_else_the_first_heading_else_the_first_line(
    data: bytes, title: str, first: str
) -> None:
    [article] = parse_named_file("story.markdown", data)
    assert (article.title, article.paragraphs[0].text) == (title, first)


def test_raw_html_is_dropped_as_a_browser_hides_it_and_the_text_kept_as_shown() -> None:
    [article] = parse_named_file("a.md", b"# T\n\nPress <Enter> then 3 < 4 & *so* on.\n")
    assert article.paragraphs[0].text == "Press then 3 < 4 & so on."


def test_a_markdown_file_with_nothing_to_annotate_is_refused() -> None:
    with pytest.raises(IngestError) as refused:
        parse_named_file("empty.md", b"---\ntitle: Nothing\n---\n\n")
    assert str(refused.value) == "empty.md: no paragraphs in the Markdown file"
