"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

Builders here turn numbers into geometry; `templates/charts/*.html` draw it, with a title, a
legend and the data as a table. Each chart is laid out twice: a wide layout for a desktop
column and for print, and a narrow one for a phone, each with its text at a fixed size in the
SVG's own units, so that shown at its width the text stays readable (11 px or more) and it is
the plot area that gives way. Labels of guide lines (a target, a baseline) sit in the right
margin, never on the data. Colours come from a fixed, colour-blind-safe palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PALETTE = ["#1d4f6e", "#c25e00", "#1f7a70", "#9c1386", "#565e66", "#4f7a3f", "#b2182b", "#3b6e96"]
GUIDE_COLOURS = ["#565e66", "#9c1386", "#1f7a70"]
INK = "#343a40"

# The two layouts: (width, height, font size) in SVG units; the page shows the narrow one in a
# column narrower than WIDE_FROM CSS pixels (see .chart in static/css/design.css).
WIDE = (640, 270, 14.0)
NARROW = (340, 250, 12.5)
CHAR_WIDTH = 0.6  # of the font size: a safe average for DejaVu Sans and Helvetica


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    lines: tuple[str, ...] = ()


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
    short_label: str
    y: float
    label_y: float
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
class Layout:
    """One drawing of a chart: its size, text size and every shape in SVG units."""

    name: str
    width: float
    height: float
    font_size: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    guides: list[GuideLine] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)

    @classmethod
    def framed(
        cls, name: str, size: tuple[float, float, float], plot_left: float, plot_right: float, x_ticks: list[Tick]
    ) -> Layout:
        """A drawing whose plot starts one line of text down and leaves room for every line of
        every category's label below it."""
        width, height, font = size
        lines_below = max((len(tick.lines) for tick in x_ticks), default=1) or 1
        return cls(
            name=name,
            width=width,
            height=height,
            font_size=font,
            plot_left=plot_left,
            plot_right=plot_right,
            plot_top=font,
            plot_bottom=round(height - lines_below * font * 1.2 - 8, 1),
            x_ticks=x_ticks,
        )

    @property
    def line_height(self) -> float:
        return round(self.font_size * 1.2, 1)

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def guide_label_x(self) -> float:
        return self.plot_right + 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + self.font_size + 4


@dataclass
class Chart:
    title: str
    kind: str
    legend: list[tuple[str, str]] = field(default_factory=list)
    guide_legend: list[tuple[str, str]] = field(default_factory=list)
    table_header: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    empty_text: str = ""
    note: str = ""
    layouts: list[Layout] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.layouts or not (self.layouts[0].lines or self.layouts[0].bars)

    @property
    def template_name(self) -> str:
        return f"charts/{self.kind}.html"

    @property
    def wide(self) -> Layout:
        return self.layouts[0]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value`` (so ticks are round)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH


def _x_positions(count: int, left: float, right: float) -> list[float]:
    if count == 1:
        return [(left + right) / 2]
    step = (right - left) / (count - 1)
    return [left + i * step for i in range(count)]


def _split(label: str) -> tuple[str, ...]:
    """ "Fall 2025–26" → ("Fall", "2025–26"): a category label on two lines, split at its last space."""
    head, _, tail = label.rpartition(" ")
    return (head, tail) if head else (label,)


def _x_ticks(positions: Sequence[float], labels: Sequence[str], counts: Sequence[str], font: float) -> list[Tick]:
    """Category labels that never overlap: on two lines when one is too wide, then only every k-th."""
    if not positions:
        return []
    slot = (positions[1] - positions[0]) if len(positions) > 1 else 10_000.0
    lines: list[tuple[str, ...]] = [(label,) for label in labels]
    if any(text_width(label, font) > slot - 4 for label in labels):
        lines = [_split(label) for label in labels]
    widest = max((text_width(part, font) for parts in lines for part in parts), default=0)
    every = max(1, math.ceil((widest + 6) / slot)) if slot else 1
    ticks = []
    last = len(positions) - 1
    for i, (x, label, parts) in enumerate(zip(positions, labels, lines, strict=True)):
        shown = i % every == 0 or (i == last and last % every == 0)
        extra = (counts[i],) if counts and counts[i] else ()
        ticks.append(Tick(x, label, (parts + extra) if shown else ()))
    return ticks


def _guide_labels(guides: list[tuple[str, str, float, str]], font: float, top: float, bottom: float) -> list[GuideLine]:
    """Guide labels in the right margin, each at its line, pushed apart when two would touch."""
    placed: list[GuideLine] = []
    for label, short, y, colour in sorted(guides, key=lambda g: g[2]):
        label_y = min(max(y, top + font / 2), bottom)
        if placed and label_y - placed[-1].label_y < font + 2:
            label_y = placed[-1].label_y + font + 2
        placed.append(GuideLine(label, short, y, label_y, colour))
    return placed


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
    counts: Sequence[int | None] | None = None,
    count_label: str = "n",
    note: str = "",
) -> Chart:
    """Lines over ordered categories (terms, dates). ``None`` leaves a gap.

    ``counts``, one per category, print under each category ("n=12") and in the data table:
    a mean is never shown without how many answers it is the mean of. A guide is drawn as a
    dashed line, named in the legend in full and in the margin by the words before its colon.
    """
    chart = Chart(title=title, kind="line", empty_text=empty_text, note=note)
    span = (y_max - y_min) or 1
    labels = y_labels or {y_min + i * span / 4: value_format.format(y_min + i * span / 4) for i in range(5)}
    count_texts = [f"{count_label}={c}" if c is not None else "" for c in counts] if counts else []
    guide_specs = [
        (label, label.split(":")[0], value, GUIDE_COLOURS[i % len(GUIDE_COLOURS)])
        for i, (label, value) in enumerate(guides)
    ]
    has_data = any(value is not None for _, values in series for value in values)
    for name, (width, height, font) in (("wide", WIDE), ("narrow", NARROW)):
        widest_y = max((text_width(text, font) for text in labels.values()), default=0)
        widest_guide = max((text_width(spec[1], font) for spec in guide_specs), default=0)
        plot_left = round(widest_y + 10, 1)
        plot_right = round(width - (widest_guide + 12 if guide_specs else 12), 1)
        inset = min(24.0, (plot_right - plot_left) / 8)
        xs = [round(x, 1) for x in _x_positions(len(categories), plot_left + inset, plot_right - inset)]
        layout = Layout.framed(
            name, (width, height, font), plot_left, plot_right, _x_ticks(xs, list(categories), count_texts, font)
        )

        def y_of(value: float, layout: Layout = layout) -> float:
            return round(layout.plot_bottom - (value - y_min) / span * (layout.plot_bottom - layout.plot_top), 1)

        layout.y_ticks = [Tick(y_of(value), label) for value, label in sorted(labels.items())]
        if has_data:
            for index, (series_name, values) in enumerate(series):
                colour = PALETTE[index % len(PALETTE)]
                markers = [
                    Marker(x, y_of(value), f"{series_name}, {category}: {value_format.format(value)}")
                    for x, category, value in zip(xs, categories, values, strict=True)
                    if value is not None
                ]
                if markers:
                    points = " ".join(f"{m.x},{m.y}" for m in markers)
                    layout.lines.append(Line(series_name, colour, points, markers, dashed=index > 0))
            layout.guides = _guide_labels(
                [(label, short, y_of(value), colour) for label, short, value, colour in guide_specs],
                font,
                layout.plot_top,
                layout.plot_bottom,
            )
        chart.layouts.append(layout)
    for index, (series_name, values) in enumerate(series):
        if any(value is not None for value in values):
            chart.legend.append((series_name, PALETTE[index % len(PALETTE)]))
    chart.guide_legend = [(label, colour) for label, _, _, colour in guide_specs]
    chart.table_header = ["", *categories]
    chart.table_rows = [
        [name, *["—" if value is None else value_format.format(value) for value in values]] for name, values in series
    ]
    if counts:
        chart.table_rows.append([f"Answers ({count_label})", *["—" if c is None else str(c) for c in counts]])
    return chart


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    as_share: bool = False,
    empty_text: str = "No data yet.",
    note: str = "",
) -> Chart:
    """Vertical bars per category, stacked by series; ``as_share`` scales each bar to 100 %.

    Shares print with the count they are a share of ("n=14") under each bar.
    """
    chart = Chart(title=title, kind="bars", empty_text=empty_text, note=note)
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    if not any(totals):
        return chart
    top = 1.0 if as_share else nice_ceiling(max(totals, default=0))
    steps = [0, 0.25, 0.5, 0.75, 1.0]
    y_texts = [f"{s:.0%}" if as_share else f"{s * top:g}" for s in steps]
    count_texts = [f"n={total:g}" for total in totals] if as_share else []
    for name, (width, height, font) in (("wide", WIDE), ("narrow", NARROW)):
        plot_left = round(max(text_width(t, font) for t in y_texts) + 10, 1)
        plot_right = width - 8
        slot = (plot_right - plot_left) / max(len(categories), 1)
        bar_width = round(min(48.0, slot * 0.6), 1)
        lefts = [round(plot_left + slot * i + (slot - bar_width) / 2, 1) for i in range(len(categories))]
        centres = [round(x + bar_width / 2, 1) for x in lefts]
        layout = Layout.framed(
            name, (width, height, font), plot_left, plot_right, _x_ticks(centres, list(categories), count_texts, font)
        )
        plot_height = layout.plot_bottom - layout.plot_top
        for i, category in enumerate(categories):
            x = lefts[i]
            y = layout.plot_bottom
            for index, (series_name, values) in enumerate(series):
                value = values[i]
                share = value / totals[i] if as_share and totals[i] else value / top
                bar_height = share * plot_height
                if bar_height <= 0:
                    continue
                y -= bar_height
                shown = f"{share:.0%}" if as_share else f"{value:g}"
                layout.bars.append(
                    Bar(
                        x,
                        round(y, 1),
                        bar_width,
                        round(bar_height, 1),
                        PALETTE[index % len(PALETTE)],
                        f"{series_name}, {category}: {shown}",
                    )
                )
        layout.y_ticks = [
            Tick(round(layout.plot_bottom - s * plot_height, 1), text) for s, text in zip(steps, y_texts, strict=True)
        ]
        chart.layouts.append(layout)
    for index, (series_name, _) in enumerate(series):
        chart.legend.append((series_name, PALETTE[index % len(PALETTE)]))
    chart.table_header = ["", *categories]
    chart.table_rows = [[name, *[f"{v:g}" for v in values]] for name, values in series]
    if as_share:
        chart.table_rows.append(["Total (n)", *[f"{t:g}" for t in totals]])
    return chart
