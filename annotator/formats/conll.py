"""CoNLL-2003 BIO (writer only): entity tokens, one per line, a blank line after a sentence.

One document per article and annotator, opened by `-DOCSTART- <document> <annotator> O`:
the article's external id (else its title, spaces as `_`) and the annotator (`gold` for
adjudicated work), in the four columns of the classic `-DOCSTART- -X- O O` line. Then
`token -X- _ TAG` per token. Sentences end at `.`, `!` or `?` outside entities; numbers such
as `3.4` and `52,000` are one token, so a decimal point never ends one. Plain text has no
escape, so a lone surrogate in stored text is written as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from annotator.formats.safe import plain_text
from annotator.formats.tokens import aligned_tokens, span_boundaries, trimmed

SENTENCE_END = {".", "!", "?"}
_SPACE = re.compile(r"\s+")


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    """Records come article by article; each article's are regrouped by annotator."""
    for _, article in groupby(records, key=lambda r: r["article"]["id"]):
        ordered = sorted(article, key=lambda r: (r["annotator"] is None, r["annotator"] or ""))
        for _, document in groupby(ordered, key=lambda r: r["annotator"]):
            yield from _document(list(document))


def _document(records: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield plain_text(docstart(records[0]) + "\n\n")
    for record in records:
        yield plain_text("".join(line + "\n" for line in conll_lines(record)))


def docstart(record: dict[str, Any]) -> str:
    """The line that opens a document and names it: article, then annotator."""
    article = record["article"]
    name = _SPACE.sub("_", (article["external_id"] or article["title"]).strip()) or "-X-"
    return f"-DOCSTART- {name} {record['annotator'] or 'gold'} O"


def conll_lines(record: dict[str, Any]) -> Iterator[str]:
    """BIO-tagged entity tokens of one paragraph, a blank line after each sentence."""
    text = record["text"]
    entities = trimmed({"text": text, "entities": record["entities"], "claims": []})["entities"]
    sentence: list[str] = []
    for start, end in aligned_tokens(text, span_boundaries({"entities": entities, "claims": []})):
        sentence.append(f"{text[start:end]} -X- _ {_bio(entities, start, end)}")
        if text[start:end] in SENTENCE_END and _outside(entities, end):
            yield from (*sentence, "")
            sentence = []
    if sentence:
        yield from (*sentence, "")


def _bio(entities: Sequence[dict[str, Any]], start: int, end: int) -> str:
    for e in entities:
        if e["start"] <= start and end <= e["end"]:
            return f"{'B' if start == e['start'] else 'I'}-{e['label']}"
    return "O"


def _outside(entities: Sequence[dict[str, Any]], offset: int) -> bool:
    return all(not (e["start"] < offset < e["end"]) for e in entities)
