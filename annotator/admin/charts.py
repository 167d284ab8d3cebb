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


# --- heat map ----------------------------------------------------------------------------

#: Viridis in five steps, dark (low) to light (high): ordered in lightness, so it reads in
#: grey and with every common colour-vision deficiency; each cell also prints its number.
HEAT = ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725")
HEAT_LEGEND = ("below 0.2", "0.2–0.4", "0.4–0.6", "0.6–0.8", "0.8 and above")
NO_VALUE = "#DDDDDD"
CELL = 56
NAMES_WIDTH = 110
NAMES_HEIGHT = 24


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    text: str
    fill: str
    ink: str
    title: str


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    cell: int
    #: Names with the centre of their row (y) and of their column (x).
    names: list[tuple[str, int, int]]
    cells: list[Cell]
    legend: list[tuple[str, str]]


def heat_map(names: list[str], values: dict[tuple[str, str], float | None]) -> HeatMap:
    """A symmetric matrix of annotators, each off-diagonal cell one pair's figure."""
    cells = []
    for row, first in enumerate(names):
        for col, second in enumerate(names):
            if row == col:
                continue
            value = values.get((first, second), values.get((second, first)))
            cells.append(_cell(row, col, f"{first} and {second}", value))
    size = NAMES_WIDTH + CELL * len(names)
    centres = [(name, NAMES_HEIGHT + i * CELL + CELL // 2, NAMES_WIDTH + i * CELL + CELL // 2)
               for i, name in enumerate(names)]  # fmt: skip
    legend = [*zip(HEAT, HEAT_LEGEND, strict=True), (NO_VALUE, "no figure")]
    return HeatMap(size, NAMES_HEIGHT + CELL * len(names), CELL, centres, cells, legend)


def _cell(row: int, col: int, pair: str, value: float | None) -> Cell:
    x, y = NAMES_WIDTH + col * CELL, NAMES_HEIGHT + row * CELL
    if value is None:
        return Cell(x, y, "–", NO_VALUE, "#000000", f"{pair}: no figure")
    step = min(max(int(value * 5), 0), 4)
    ink = "#000000" if step >= 3 else "#FFFFFF"
    return Cell(x, y, f"{value:.2f}", HEAT[step], ink, f"{pair}: {value:.3f}")
