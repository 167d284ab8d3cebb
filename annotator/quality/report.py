"""From tallies to figures, in the JSON shape the API, the CLI and the dashboard share.

Each annotator pair's tallies are pooled over the articles both finished and turned into
figures; a project (or article) figure is the mean of its pairs' figures. docs/quality.md
defines every figure; None (JSON null) means it cannot be computed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from annotator.quality.agreement import (
    cohen_kappa,
    f1,
    krippendorff_alpha,
    mean,
    percent,
    specific_agreements,
)
from annotator.quality.compare import (
    CLAIM_FIGURES,
    ItemKey,
    Judgements,
    SpanTally,
    Tally,
    compare_article,
    compared_items,
)
from annotator.quality.load import Corpus

LAYERS = ("entity", "claim", "sentiment", "target_sentiment")
SPAN_LAYERS = ("entity", "claim")
Figures = dict[str, Any]
Pair = tuple[int, int]


def agreement_report(corpus: Corpus, project_slug: str) -> dict[str, Any]:
    """Every figure of the project: whole project, per pair, per label, per article."""
    pooled: defaultdict[Pair, Tally] = defaultdict(Tally)
    shared: Counter[Pair] = Counter()
    items: Counter[ItemKey] = Counter()
    articles = []
    for article_id, people in corpus.finished.items():
        paragraphs = corpus.work.get(article_id, {})
        tallies = {pair: compare_article(paragraphs, *pair) for pair in combinations(people, 2)}
        for pair, tally in tallies.items():
            pooled[pair].add(tally)
            shared[pair] += 1
        counted = compared_items(paragraphs, people)
        items.update(counted)
        articles.append(_article(corpus, article_id, people, tallies, counted))
    pair_figures = {pair: layer_figures(t, corpus.scale) for pair, t in pooled.items()}
    return {
        "project": project_slug,
        "articles_compared": len(corpus.finished),
        "annotators": sorted({corpus.names[p] for pair in pooled for p in pair}, key=str.casefold),
        "layers": mean_layers(list(pair_figures.values()), items),
        "pairs": _pairs(corpus, pair_figures, shared),
        "labels": _labels(pooled, items),
        "confusion": _confusion(pooled.values()),
        "articles": sorted(articles, key=lambda a: (-a["disagreements"], a["article_id"])),
    }


# --- one tally ---------------------------------------------------------------------------


def layer_figures(tally: Tally, scale: Sequence[str], chance: bool = True) -> dict[str, Figures]:
    """The figures of one pair (or of anything pooled into one tally), layer by layer.

    Without chance, sentiment gets raw agreement only: α and κ need more items than one
    article holds, and leaving them out keeps the per-article pass fast."""
    judged = judgement_figures if chance else _raw_figures
    return {
        "entity": _span_figures(tally.entity),
        "claim": {**_span_figures(tally.claim), **_claim_figures(tally)},
        "sentiment": judged(tally.sentiment, scale),
        "target_sentiment": judged(tally.target_sentiment, scale),
    }


def _span_figures(counts: SpanTally) -> Figures:
    return {
        "f1_exact": f1(counts.exact, counts.a, counts.b),
        "f1_overlap": f1(counts.overlap, counts.a, counts.b),
        "items": counts.a + counts.b,
    }


def _claim_figures(tally: Tally) -> Figures:
    matched = tally.claims_matched
    figures: Figures = {"matched": matched}
    for name in CLAIM_FIGURES:
        agreed = tally.claim_agreement[name]
        figures[f"{name}_agreement"] = agreed / matched if matched else None
    return figures


def judgement_figures(judged: Judgements, scale: Sequence[str]) -> Figures:
    """α nominal (every value its own category), α ordinal over scale (other values
    missing), Cohen's κ and raw agreement, on the items both annotators judged."""
    units = judged  # each item a unit of two values
    return {
        "alpha_nominal": krippendorff_alpha(units),
        "alpha_ordinal": krippendorff_alpha(units, order=scale),
        "kappa_mean": cohen_kappa(judged),
        "percent": percent(judged),
        "items": len(judged),
    }


def _raw_figures(judged: Judgements, scale: Sequence[str]) -> Figures:
    return {"percent": percent(judged), "items": len(judged)}


# --- means over pairs --------------------------------------------------------------------


def mean_layers(per_pair: list[dict[str, Figures]], items: Counter[ItemKey]) -> dict[str, Figures]:
    """Each figure the mean over pairs; items counted once however many pairs compared them;
    matched claims summed over pairs."""
    layers: dict[str, Figures] = {}
    for layer in LAYERS:
        keys = (per_pair[0] if per_pair else layer_figures(Tally(), []))[layer]
        figures: Figures = {}
        for key in keys:
            values = [pair[layer][key] for pair in per_pair]
            if key == "items":
                figures[key] = items[layer, None]
            elif key == "matched":
                figures[key] = sum(values)
            else:
                figures[key] = mean(values)
        layers[layer] = figures
    return layers


def _pairs(
    corpus: Corpus, pair_figures: dict[Pair, dict[str, Figures]], shared: Counter[Pair]
) -> list[dict[str, Any]]:
    rows = [
        {
            "annotators": [corpus.names[a], corpus.names[b]],
            "articles": shared[(a, b)],
            "layers": figures,
        }
        for (a, b), figures in pair_figures.items()
    ]
    return sorted(rows, key=lambda row: [name.casefold() for name in row["annotators"]])


def _article(
    corpus: Corpus,
    article_id: int,
    people: list[int],
    tallies: dict[Pair, Tally],
    items: Counter[ItemKey],
) -> dict[str, Any]:
    per_pair = [layer_figures(t, corpus.scale, chance=False) for t in tallies.values()]
    return {
        "article_id": article_id,
        "title": corpus.titles[article_id],
        "annotators": [corpus.names[p] for p in people],
        "disagreements": sum(t.disagreements for t in tallies.values()),
        "layers": mean_layers(per_pair, items),
        "review_url": f"/review/articles/{article_id}",
    }


# --- labels and confusion ----------------------------------------------------------------


def _labels(pooled: dict[Pair, Tally], items: Counter[ItemKey]) -> list[dict[str, Any]]:
    """Per label, the mean over pairs; lowest agreement first (undefined ones last)."""
    rows = [_span_label(layer, label, pooled, items) for layer, label in _span_labels(pooled)]
    per_pair = {
        layer: [specific_agreements(_judged(t, layer)) for t in pooled.values()]
        for layer in LAYERS
        if layer not in SPAN_LAYERS
    }
    for layer, value in sorted(k for k in items if k[0] not in SPAN_LAYERS and k[1]):
        assert value is not None
        agreement = mean(figures.get(value) for figures in per_pair[layer])
        rows.append(_label_row(layer, value, agreement, items))
    layer_order = {layer: i for i, layer in enumerate(LAYERS)}
    return sorted(
        rows,
        key=lambda r: (r["agreement"] is None, r["agreement"] or 0, layer_order[r["layer"]]),
    )


def _span_labels(pooled: dict[Pair, Tally]) -> list[tuple[str, str]]:
    return sorted({key for tally in pooled.values() for key in tally.labels})


def _span_label(
    layer: str, label: str, pooled: dict[Pair, Tally], items: Counter[ItemKey]
) -> dict[str, Any]:
    counts = [t.labels[layer, label] for t in pooled.values() if (layer, label) in t.labels]
    exact = mean(f1(c.exact, c.a, c.b) for c in counts)
    overlap = mean(f1(c.overlap, c.a, c.b) for c in counts)
    return {**_label_row(layer, label, exact, items), "f1_exact": exact, "f1_overlap": overlap}


def _label_row(
    layer: str, label: str, agreement: float | None, items: Counter[ItemKey]
) -> dict[str, Any]:
    return {"layer": layer, "label": label, "agreement": agreement, "items": items[layer, label]}


def _judged(tally: Tally, layer: str) -> Judgements:
    return tally.sentiment if layer == "sentiment" else tally.target_sentiment


def _confusion(tallies: Any) -> list[dict[str, Any]]:
    """Label pairs annotators swapped, summed over annotator pairs, most frequent first."""
    total: Counter[tuple[str, str, str]] = Counter()
    for tally in tallies:
        total.update(tally.confusion)
    ordered = sorted(total.items(), key=lambda item: (-item[1], item[0]))
    return [{"layer": layer, "labels": [x, y], "count": count} for (layer, x, y), count in ordered]
