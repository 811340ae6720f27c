"""Charts keep their text readable and their labels off the data, in both layouts."""

from __future__ import annotations

from itertools import pairwise

from district.charts import NARROW, WIDE, line_chart, stacked_bar_chart, text_width
from district.templatetags.schoolward import counted, signed


def test_a_line_chart_is_drawn_wide_and_narrow_with_text_at_a_fixed_size() -> None:
    chart = line_chart(
        title="Overall",
        categories=["Fall 2024–25", "Spring 2024–25", "Fall 2025–26", "Spring 2025–26"],
        series=[("Unit", [3.1, 3.4, None, 3.9]), ("District average", [3.3, 3.3, 3.4, 3.4])],
        y_min=1,
        y_max=5,
        counts=[12, 14, None, 9],
    )
    wide, narrow = chart.layouts
    assert (wide.width, wide.font_size) == (WIDE[0], WIDE[2])
    assert (narrow.width, narrow.font_size) == (NARROW[0], NARROW[2])
    assert len(wide.lines[0].markers) == 3, "a missing value leaves a gap"
    # Too wide for the narrow plot on one line: two lines, then n under each term.
    assert narrow.x_ticks[0].lines == ("Fall", "2024–25", "n=12")
    assert chart.table_rows[-1] == ["Answers (n)", "12", "14", "—", "9"]


def test_guide_labels_sit_in_the_right_margin_and_never_touch() -> None:
    chart = line_chart(
        title="Observed level",
        categories=["Sep 4", "Oct 9"],
        series=[("Observed level", [2.0, 3.0])],
        y_min=1,
        y_max=4,
        guides=[("Baseline: Developing", 2.0), ("Target: Proficient", 2.1)],
    )
    for layout in chart.layouts:
        baseline, target = sorted(layout.guides, key=lambda g: g.label_y)
        assert {baseline.short_label, target.short_label} == {"Baseline", "Target"}
        assert abs(target.label_y - baseline.label_y) >= layout.font_size
        assert layout.guide_label_x > layout.plot_right
        assert layout.guide_label_x + text_width("Baseline", layout.font_size) <= layout.width
        for marker in layout.lines[0].markers:
            assert marker.x < layout.plot_right
    assert [name for name, _ in chart.guide_legend] == ["Baseline: Developing", "Target: Proficient"]


def test_category_labels_thin_out_rather_than_overlap() -> None:
    dates = [f"Oct {day}" for day in range(1, 25)]
    chart = line_chart(title="Many", categories=dates, series=[("Level", [2.0] * 24)], y_min=1, y_max=4)
    narrow = chart.layouts[1]
    shown = [tick for tick in narrow.x_ticks if tick.lines]
    assert 1 < len(shown) < 24
    gaps = [b.position - a.position for a, b in pairwise(shown)]
    assert min(gaps) >= max(text_width(part, narrow.font_size) for t in shown for part in t.lines)


def test_share_bars_print_the_count_they_are_a_share_of() -> None:
    chart = stacked_bar_chart(
        title="Who led", categories=["Fall", "Spring"], series=[("ILD", [3, 1]), ("Principal", [1, 3])], as_share=True
    )
    assert chart.layouts[0].x_ticks[0].lines == ("Fall", "n=4")
    assert chart.table_rows[-1] == ["Total (n)", "4", "4"]
    assert stacked_bar_chart(title="Empty", categories=["Fall"], series=[("ILD", [0])]).is_empty


def test_a_change_that_rounds_to_nothing_is_printed_without_a_sign() -> None:
    assert [signed(v) for v in (0.04, -0.04, 0.0, 0.26, -0.26)] == ["0.0", "0.0", "0.0", "+0.3", "−0.3"]
    assert signed(None) == "—"
    assert signed(0.125, 2) == "+0.12"


def test_identical_comments_are_shown_once_with_their_count() -> None:
    comments = ["Faster answers, please.", "More coaching days", "faster answers,  please.", "Faster answers, please."]
    assert counted(comments) == [("Faster answers, please.", 3), ("More coaching days", 1)]


def test_every_category_label_line_fits_inside_the_drawing() -> None:
    terms = ["Fall 2024–25", "Spring 2024–25", "Fall 2025–26", "Spring 2025–26", "Fall 2026–27"]
    charts = [
        line_chart(title="Lead", categories=terms, series=[("Lead", [1.0] * 5)], y_min=1, y_max=4, counts=[9] * 5),
        stacked_bar_chart(title="Mix", categories=terms, series=[("A", [1] * 5), ("B", [2] * 5)], as_share=True),
    ]
    for chart in charts:
        for layout in chart.layouts:
            for tick in layout.x_ticks:
                bottom = layout.x_label_y + (len(tick.lines) - 1) * layout.line_height
                assert bottom <= layout.height, (chart.title, layout.name, tick.lines)
