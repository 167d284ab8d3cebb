"""Markdown (project guidelines, descriptions) rendered to HTML that is safe to embed."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(source: str) -> Markup:
    """Markdown to sanitised HTML: raw HTML in the source is escaped, then an allow-list applies."""
    html = _md.render(source or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704  (sanitised above)
