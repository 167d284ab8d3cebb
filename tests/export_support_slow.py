"""Text for large exports: many distinct paragraphs that no boilerplate rule matches."""

from __future__ import annotations

WORDS = [
    "minister",
    "talks",
    "trade",
    "summit",
    "coalition",
    "budget",
    "court",
    "harbour",
    "railway",
    "election",
]


def big_article_text(paragraphs: int, length: int = 2500) -> str:
    """A plain-text article (title line, then one paragraph per line) of about
    paragraphs × length characters."""
    lines = ["A very long article for slow downloads"]
    for i in range(paragraphs):
        words = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(length // 8))
        lines.append(f"Paragraph {i} says the {words}.")
    return "\n".join(lines) + "\n"
