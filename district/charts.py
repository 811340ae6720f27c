"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

Builders here turn numbers into geometry; `templates/charts/*.html` draw it, with a title
and a data table for screen readers. Colours come from a fixed, colour-blind-safe palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = ["#1d4f6e", "#e07b00", "#2a9d8f", "#b5179e", "#6c757d", "#8ab17d", "#d62828", "#457b9d"]

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 150
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 44


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: str
    markers: list[Marker]
    dashed: bool = False


@dataclass(frozen=True)
class GuideLine:
    label: str
    y: float
    colour: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class Chart:
    title: str
    kind: str
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: float = MARGIN_LEFT
    plot_right: float = WIDTH - MARGIN_RIGHT
    plot_top: float = MARGIN_TOP
    plot_bottom: float = HEIGHT - MARGIN_BOTTOM
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    guides: list[GuideLine] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    table_header: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    empty_text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.bars)

    @property
    def template_name(self) -> str:
        return f"charts/{self.kind}.html"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value`` (so ticks are round)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _x_positions(count: int, left: float, right: float) -> list[float]:
    if count == 1:
        return [(left + right) / 2]
    step = (right - left) / (count - 1)
    return [left + i * step for i in range(count)]


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_min: float,
    y_max: float,
    y_labels: dict[float, str] | None = None,
    guides: Sequence[tuple[str, float]] = (),
    value_format: str = "{:.1f}",
    empty_text: str = "No data yet.",
    plot_left: float = MARGIN_LEFT,
) -> Chart:
    """Lines over ordered categories (terms, dates). ``None`` leaves a gap."""
    chart = Chart(title=title, kind="line", empty_text=empty_text, plot_left=plot_left)
    span = (y_max - y_min) or 1

    def y_of(value: float) -> float:
        return chart.plot_bottom - (value - y_min) / span * (chart.plot_bottom - chart.plot_top)

    labels = y_labels or {y_min + i * span / 4: value_format.format(y_min + i * span / 4) for i in range(5)}
    chart.y_ticks = [Tick(y_of(value), label) for value, label in sorted(labels.items())]
    xs = _x_positions(len(categories), chart.plot_left + 40, chart.plot_right - 40)
    chart.x_ticks = [Tick(x, label) for x, label in zip(xs, categories, strict=True)]
    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        markers = [
            Marker(x, y_of(value), f"{name}, {category}: {value_format.format(value)}")
            for x, category, value in zip(xs, categories, values, strict=True)
            if value is not None
        ]
        if markers:
            chart.lines.append(
                Line(name, colour, " ".join(f"{m.x:.1f},{m.y:.1f}" for m in markers), markers, dashed=index > 0)
            )
            chart.legend.append((name, colour))
    for offset, (label, value) in enumerate(guides):
        chart.guides.append(GuideLine(label, y_of(value), PALETTE[(len(series) + offset + 2) % len(PALETTE)]))
    chart.table_header = ["", *categories]
    chart.table_rows = [
        [name, *["—" if value is None else value_format.format(value) for value in values]] for name, values in series
    ]
    return chart


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    as_share: bool = False,
    empty_text: str = "No data yet.",
) -> Chart:
    """Vertical bars per category, stacked by series; ``as_share`` scales each bar to 100 %."""
    chart = Chart(title=title, kind="bars", empty_text=empty_text, plot_left=44)
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    top = 1.0 if as_share else nice_ceiling(max(totals, default=0))
    if not any(totals):
        return chart
    slot = (chart.plot_right - chart.plot_left) / max(len(categories), 1)
    bar_width = min(48.0, slot * 0.6)
    plot_height = chart.plot_bottom - chart.plot_top
    for i, category in enumerate(categories):
        x = chart.plot_left + slot * i + (slot - bar_width) / 2
        chart.x_ticks.append(Tick(x + bar_width / 2, category))
        y = chart.plot_bottom
        for index, (name, values) in enumerate(series):
            value = values[i]
            share = value / totals[i] if as_share and totals[i] else value / top
            height = share * plot_height
            if height <= 0:
                continue
            y -= height
            shown = f"{share:.0%}" if as_share else f"{value:g}"
            chart.bars.append(
                Bar(x, y, bar_width, height, PALETTE[index % len(PALETTE)], f"{name}, {category}: {shown}")
            )
    for index, (name, _) in enumerate(series):
        chart.legend.append((name, PALETTE[index % len(PALETTE)]))
    steps = [0, 0.25, 0.5, 0.75, 1.0]
    chart.y_ticks = [
        Tick(chart.plot_bottom - s * plot_height, f"{s:.0%}" if as_share else f"{s * top:g}") for s in steps
    ]
    chart.table_header = ["", *categories]
    chart.table_rows = [[name, *[f"{v:g}" for v in values]] for name, values in series]
    return chart
