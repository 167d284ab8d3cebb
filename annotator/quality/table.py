"""The agreement report as one flat table (CSV): a row per figure, for spreadsheets.

Columns: scope (project, pair, label, confusion, article), annotators ("a|b" for a pair),
article_id, layer, label, figure, value. An undefined figure is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

COLUMNS = ("scope", "annotators", "article_id", "layer", "label", "figure", "value")
Row = tuple[Any, ...]


def report_rows(report: dict[str, Any]) -> Iterator[Row]:
    yield from _layer_rows("project", "", "", report["layers"])
    for pair in report["pairs"]:
        yield from _layer_rows("pair", "|".join(pair["annotators"]), "", pair["layers"])
    for row in report["labels"]:
        for figure in ("agreement", "f1_exact", "f1_overlap", "items"):
            if figure in row:
                yield ("label", "", "", row["layer"], row["label"], figure, row[figure])
    for swap in report["confusion"]:
        labels = "|".join(swap["labels"])
        yield ("confusion", "", "", swap["layer"], labels, "count", swap["count"])
    for article in report["articles"]:
        people = "|".join(article["annotators"])
        article_id = article["article_id"]
        yield ("article", people, article_id, "", "", "disagreements", article["disagreements"])
        yield from _layer_rows("article", people, article_id, article["layers"])


def _layer_rows(scope: str, people: str, article_id: Any, layers: dict[str, Any]) -> Iterator[Row]:
    for layer, figures in layers.items():
        for figure, value in figures.items():
            yield (scope, people, article_id, layer, "", figure, value)


def report_csv(report: dict[str, Any]) -> str:
    """The whole table as CSV text, header first; None becomes an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report_rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()
