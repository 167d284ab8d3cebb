"""`.spacy` files (DocBin): entities in doc.ents, claims in doc.spans["claims"], cats.

spaCy is optional: only this module imports it, and only when a DocBin is asked for.
A DocBin is serialised in one piece, so this format holds the exported docs in memory.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from typing import Any

from annotator.export.interop import aligned_tokens, sentiment_cats, span_boundaries


def spacy_available() -> bool:
    """Whether spaCy is installed, without paying for importing it."""
    return importlib.util.find_spec("spacy") is not None


def docbin_bytes(records: Iterable[dict[str, Any]], sentiments: Sequence[str]) -> bytes:
    """Serialise the records as a DocBin; token edges fall on every span boundary."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=True)
    for record in records:
        docs.add(_doc(nlp, record, sentiments))
    data: bytes = docs.to_bytes()
    return data


def _doc(nlp: Any, record: dict[str, Any], sentiments: Sequence[str]) -> Any:
    from spacy.tokens import Doc

    text = record["text"]
    words, spaces = doc_words(text, aligned_tokens(text, span_boundaries(record)))
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    # Token edges fall on every span boundary, so char_span never returns None here.
    doc.ents = [_span(doc, e["start"], e["end"], e["label"]) for e in record["entities"]]
    doc.spans["claims"] = [_span(doc, c["start"], c["end"], c["type"]) for c in record["claims"]]
    doc.cats = sentiment_cats(record, sentiments)
    doc.user_data["meta"] = {
        "article_id": record["article"]["id"],
        "paragraph_index": record["paragraph_index"],
        "annotator": record["annotator"],
    }
    return doc


def _span(doc: Any, start: int, end: int, label: str) -> Any:
    span = doc.char_span(start, end, label=label)
    if span is None:
        raise ValueError(f"span [{start}, {end}] does not fall on token boundaries")
    return span


def doc_words(text: str, tokens: Sequence[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """Words and trailing spaces whose concatenation is exactly the text.

    spaCy keeps one space after a token; any other whitespace becomes a token of its own.
    """
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for start, end in tokens:
        gap = text[position:start]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
        words.append(text[start:end])
        spaces.append(False)
        position = end
    if text[position:]:
        words.append(text[position:])
        spaces.append(False)
    return words, spaces
