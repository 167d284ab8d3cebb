"""Markdown articles (.md, .markdown, as static-site newsrooms keep them): the article a
reader sees, not its markup.

Front matter (YAML-style `key: value` lines between `---` lines, or TOML's `key = value`
between `+++`) gives the title, date, author and source; each block a reader sees apart is
a paragraph: a paragraph, a heading, a list item, each paragraph of a quote, a code block.
Inline markup is dropped (a link keeps its text, an image its description), and a line
wrapped inside a paragraph reads as one line. Read as plain text, the front matter became
the title (`---`) and paragraphs, and a paragraph wrapped at 80 columns became two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it.token import Token

#: Front matter at the very start: `---` (YAML) or `+++` (TOML) fences.
FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.S)
#: One `key: value` (YAML) or `key = value` (TOML) line of front matter.
FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.*?)[ \t]*$", re.M)
TAG = re.compile(r"<[^<>]*>")
SPACES = re.compile(r"\s+")
#: Front-matter keys, by what they say of the article.
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "publishdate", "pubdate")
AUTHOR_KEYS = ("author", "byline")
SOURCE_KEYS = ("source", "publisher", "agency")


@dataclass
class MarkdownArticle:
    """What a Markdown file holds: its title (None: the file names none), paragraphs and
    what its front matter says."""

    title: str | None
    paragraphs: list[str]
    published: date | None = None
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def read_markdown(text: str) -> MarkdownArticle:
    """The article in a Markdown file's text."""
    fields, body = _front_matter(text)
    title = _first(fields, TITLE_KEYS)
    blocks = _blocks(body)
    if title is None and blocks and blocks[0][0] == "h1":
        title = blocks.pop(0)[1]  # the file's headline
    elif blocks and blocks[0][1] == title:
        blocks.pop(0)  # the front matter's title, repeated as the first heading
    author = _first(fields, AUTHOR_KEYS)
    return MarkdownArticle(
        title=title,
        paragraphs=[text for _, text in blocks if text],
        published=_date(_first(fields, DATE_KEYS)),
        source=_first(fields, SOURCE_KEYS),
        meta={"author": author} if author else {},
    )


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front matter's fields (lower-case keys, unquoted values) and the text after it."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    fields = {
        key.lower(): _unquoted(value) for key, value in FIELD.findall(match.group(2)) if value
    }
    return fields, text[match.end() :]


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((fields[key] for key in keys if fields.get(key)), None)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _blocks(body: str) -> list[tuple[str, str]]:
    """(the block's tag, its text) of each block, in reading order."""
    from markdown_it import MarkdownIt  # lazily: only a Markdown import pays for it

    blocks: list[tuple[str, str]] = []
    tag = "p"
    for token in MarkdownIt("commonmark").parse(body):
        if token.type == "heading_open":
            tag = token.tag
        elif token.type == "inline":
            blocks.append((tag, _one_line(_inline_text(token.children or []))))
            tag = "p"
        elif token.type in ("fence", "code_block"):
            blocks.append(("pre", _one_line(token.content)))
        elif token.type == "html_block":
            blocks.append(("p", _one_line(TAG.sub(" ", token.content))))
    return blocks


def _inline_text(children: list[Token]) -> str:
    """An inline run's text as shown: markup dropped, a line break a space."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)


def _one_line(text: str) -> str:
    return SPACES.sub(" ", text).strip()
