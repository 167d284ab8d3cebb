"""Chart geometry for server-rendered SVG: numbers in, rectangles out; templates draw them."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 150
ROW_HEIGHT = 26
BAR_HEIGHT = 18
VALUE_GAP = 6
VALUE_WIDTH = 50


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    css: str
    color: str | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    segments: list[Segment]
    total: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    legend: list[tuple[str, str]]


def stacked_bars(
    rows: list[tuple[str, list[tuple[int, str, str | None]]]],
    legend: list[tuple[str, str]] | None = None,
) -> BarChart:
    """Horizontal bars, one per row, each made of (value, css class, colour) segments."""
    largest = max((sum(v for v, _, _ in parts) for _, parts in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest
    bars = []
    for index, (label, parts) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for value, css, color in parts:
            if value:
                segments.append(Segment(x, value * scale, value, css, color))
                x += value * scale
        bars.append(Bar(label, index * ROW_HEIGHT, segments, sum(v for v, _, _ in parts)))
    height = max(len(rows), 1) * ROW_HEIGHT
    return BarChart(WIDTH, height, LABEL_WIDTH, BAR_HEIGHT, bars, legend or [])


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    baseline: float
    columns: list[Column]


def columns(values: list[tuple[str, int]], height: int = 160) -> ColumnChart:
    """Vertical columns, e.g. one per day, with room for a value above and a label below."""
    top, bottom = 18, 22
    largest = max((v for _, v in values), default=0) or 1
    slot = WIDTH / max(len(values), 1)
    usable = height - top - bottom
    cols = [
        Column(
            label=label,
            x=i * slot + slot * 0.15,
            y=top + usable - value / largest * usable,
            width=slot * 0.7,
            height=value / largest * usable,
            value=value,
        )
        for i, (label, value) in enumerate(values)
    ]
    return ColumnChart(WIDTH, height, float(top + usable), cols)
