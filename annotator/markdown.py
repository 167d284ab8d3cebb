"""Markdown (project guidelines, descriptions) rendered to HTML that is safe to embed."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source: str) -> Markup:
    """Markdown to sanitised HTML: raw HTML in the source is escaped, then an allow-list applies."""
    html = _parser().render(source or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704  (sanitised above)


@functools.cache
def _parser() -> MarkdownIt:
    """The Markdown parser, built by the first page that renders Markdown: markdown_it's
    import is not the server's start's to pay (a thirtieth of it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
