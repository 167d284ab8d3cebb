"""The agreement part of the project dashboard: what to show from the agreement report.

The report is annotator.quality's (the API's JSON); this module only picks and shapes it:
a table per layer, a heat map of annotator pairs per layer, the labels with the lowest
agreement and the articles with the most disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.admin.charts import HeatMap, heat_map

SHOWN = 10

#: Per layer: its title, the figure its heat map shows, and the figures of its table.
LAYERS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "entity": (
        "Entities",
        "f1_exact",
        [("f1_exact", "F1, exact span and label"), ("f1_overlap", "F1, overlapping span")],
    ),
    "claim": (
        "Claims",
        "f1_overlap",
        [
            ("f1_exact", "Span F1, exact"),
            ("f1_overlap", "Span F1, overlapping"),
            ("type_agreement", "Same claim type (matched claims)"),
            ("attribution_agreement", "Same attribution"),
            ("claimant_agreement", "Same claimant"),
            ("checkworthy_agreement", "Same check-worthiness"),
        ],
    ),
    "sentiment": ("Paragraph sentiment", "kappa_mean", []),
    "target_sentiment": ("Sentiment towards entities", "kappa_mean", []),
}
JUDGEMENT_FIGURES = [
    ("alpha_nominal", "Krippendorff's α, nominal"),
    ("alpha_ordinal", "Krippendorff's α, ordinal (mixed missing)"),
    ("kappa_mean", "Cohen's κ, mean over pairs"),
    ("percent", "Raw agreement"),
]


@dataclass(frozen=True)
class LayerView:
    key: str
    title: str
    items: int
    #: (figure name, project value, per pair values in the order of AgreementView.pairs)
    rows: list[tuple[str, float | None, list[float | None]]]
    heat_title: str
    heat: HeatMap


@dataclass(frozen=True)
class AgreementView:
    articles: int
    pairs: list[str]
    layers: list[LayerView]
    lowest_labels: list[dict[str, Any]]
    most_disagreement: list[dict[str, Any]]


def agreement_view(report: dict[str, Any]) -> AgreementView:
    return AgreementView(
        articles=report["articles_compared"],
        pairs=[" – ".join(p["annotators"]) for p in report["pairs"]],
        layers=[_layer(report, key) for key in LAYERS],
        lowest_labels=[r for r in report["labels"] if r["agreement"] is not None][:SHOWN],
        most_disagreement=[a for a in report["articles"] if a["disagreements"]][:SHOWN],
    )


def _layer(report: dict[str, Any], key: str) -> LayerView:
    title, headline, figures = LAYERS[key]
    figures = figures or JUDGEMENT_FIGURES
    pairs = report["pairs"]
    rows = [
        (name, report["layers"][key][figure], [p["layers"][key][figure] for p in pairs])
        for figure, name in figures
    ]
    values = {tuple(p["annotators"]): p["layers"][key][headline] for p in pairs}
    return LayerView(
        key=key,
        title=title,
        items=report["layers"][key]["items"],
        rows=rows,
        heat_title=f"{title}: {dict(figures)[headline]} per pair of annotators",
        heat=heat_map(report["annotators"], values),
    )
