"""How the workspace lays an article out: runs of boilerplate fold into one block each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.models import Paragraph


@dataclass
class Block:
    """One content paragraph, or a run of consecutive boilerplate paragraphs."""

    boilerplate: bool
    paragraphs: list[Paragraph] = field(default_factory=list)


def paragraph_blocks(paragraphs: Iterable[Paragraph]) -> list[Block]:
    """The paragraphs in reading order, each run of boilerplate gathered into one block, so
    the page shows "6 boilerplate paragraphs" once rather than six greyed lines."""
    blocks: list[Block] = []
    for paragraph in paragraphs:
        if paragraph.is_boilerplate and blocks and blocks[-1].boilerplate:
            blocks[-1].paragraphs.append(paragraph)
        else:
            blocks.append(Block(paragraph.is_boilerplate, [paragraph]))
    return blocks
