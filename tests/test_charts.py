"""Chart geometry and the sentences that describe a change."""

import datetime as dt
import itertools
from decimal import Decimal as D

from cswork_site.pages.charts import change_sentence, fmt, line_chart, text_width
from cswork_site.pages.filters import number


def test_sentences_say_the_change_in_words():
    assert change_sentence("Agency use", D("22"), dt.date(2024, 9, 30), D("18.5"), dt.date(2026, 9, 30), "percent") \
        == "Agency use fell from 22% to 18.5% in two years."
    assert change_sentence("Caseload", D("15"), dt.date(2026, 3, 31), D("16"), dt.date(2026, 9, 30),
                           "children per worker") \
        == "Caseload rose from 15 to 16 in six months."
    assert change_sentence("Turnover", D("13"), dt.date(2025, 9, 30), D("13"), dt.date(2026, 9, 30), "percent") \
        == "Turnover stayed at 13% over one year."


def test_line_chart_places_points_and_breaks_lines_at_gaps():
    chart = line_chart("agency", "Agency rate", "percent", ["2024", "2025", "2026"],
                       [("Castlebrook", [D(20), None, D(10)]), ("England", [D(18), D(17), D(16)])], "s")
    ours, england = chart.lines
    assert ours.path.count("M") == 2 and "L" not in ours.path  # the gap breaks the line
    assert england.path.startswith("M") and england.path.count("L") == 2
    # 20% sits at the top of a 0-20 axis; 10% halfway down the plot.
    assert ours.points[0].y == chart.plot_top
    assert ours.points[1].y == (chart.plot_top + chart.plot_bottom) / 2
    assert [t.label for t in chart.y_ticks] == ["0%", "5%", "10%", "15%", "20%"]
    assert chart.rows[0] == ("Castlebrook", ("20%", "no figure", "10%"))
    assert ours.marker != england.marker


def test_axis_ticks_are_round_and_lines_are_named_in_a_key_not_at_their_ends():
    chart = line_chart("a", "A", "percent", ["2024", "2025"],
                       [("Here", [D(20), D(13)]), ("England", [D(16), D("13.1")]), ("Region", [D(15), D("13.2")])], "s")
    assert [t.label for t in chart.y_ticks] == ["0%", "5%", "10%", "15%", "20%"]
    # The names are the key's, in the series' order; nothing is drawn beside the lines' ends.
    assert [line.name for line in chart.lines] == ["Here", "England", "Region"]
    assert not hasattr(chart.lines[0], "label_y")


def test_text_is_at_least_19_units_in_a_440_unit_box_so_12px_at_320px():
    chart = line_chart("a", "A", "percent", ["2024", "2025"], [("Here", [D(20), D(13)])], "s")
    assert chart.width == 440 and chart.font >= 19
    content = 320 - 2 * 15  # the page's margins at 320px
    assert chart.font * content / chart.width >= 12


def test_year_labels_are_thinned_so_they_never_touch_and_the_newest_is_kept():
    years = [str(y) for y in range(2005, 2027)]
    chart = line_chart("a", "A", "percent", years, [("Here", [D(i) for i in range(len(years))])], "s")
    shown = [t.label for t in chart.x_ticks]
    assert shown[-1] == "2026" and 2 < len(shown) < len(years)
    for a, b in itertools.pairwise(chart.x_ticks):
        assert b.position - a.position >= text_width(a.label) + chart.font / 2
    # Every year is still in the table.
    assert chart.columns == tuple(years)
    few = line_chart("b", "B", "percent", ["2024", "2025", "2026"], [("Here", [D(1), D(2), D(3)])], "s")
    assert [t.label for t in few.x_ticks] == ["2024", "2025", "2026"]


def test_a_long_target_label_wraps_in_a_band_above_the_plot():
    label = "Target: at most 15% over 12 months by 31 March 2027"
    chart = line_chart("a", "A", "percent", ["2025", "2026"], [("Here", [D(20), D(18)])], "s",
                       target=D(15), target_label=label)
    assert chart.target is not None
    lines = chart.target.label_lines
    assert len(lines) >= 2 and " ".join(t.text for t in lines) == label
    assert all(t.x + text_width(t.text) <= chart.width for t in lines)
    assert lines[-1].y < chart.plot_top  # clear of every line of the chart
    plain = line_chart("b", "B", "percent", ["2025", "2026"], [("Here", [D(20), D(18)])], "s")
    assert chart.plot_bottom - chart.plot_top == plain.plot_bottom - plain.plot_top  # the band adds height
    assert chart.height > plain.height and plain.plot_top == chart.plot_top - (chart.height - plain.height)


def test_numbers_have_thousands_separators_and_no_trailing_zeros():
    assert fmt(D("1234.50"), "percent") == "1,234.5%"
    assert fmt(D("12.0"), "children") == "12"
    assert number(D("45500")) == "45,500" and number(1234567) == "1,234,567"
    assert number(D("1E+3")) == "1,000" and number(D("-0.04"), 1) == "0"
    assert number(D("12.25"), 1) == "12.3" and number(D("8"), unit="percent") == "8%"
    assert number(None) == ""


def test_dated_sentences_name_both_dates():
    from cswork_site.pages.charts import dated_change_sentence

    assert dated_change_sentence("Agency use", D("11.2"), "at 30 September 2025", D("9.1"), "at 31 December 2025",
                                 "percent") \
        == "Agency use fell from 11.2% at 30 September 2025 to 9.1% at 31 December 2025."
    assert dated_change_sentence("Moves", D(10), "in the 12 months to 30 September 2025", D(10),
                                 "in the 12 months to 30 September 2026", "people") \
        == "Moves was 10 in the 12 months to 30 September 2025 and the same in the 12 months to 30 September 2026."


def test_a_target_is_a_level_line_within_the_axis_and_comparators_are_table_rows():
    chart = line_chart("a", "A", "percent", ["2025", "2026"], [("Here", [D(10), D(8)])], "s",
                       table_only=[("Millbridge", [D(9), None])], target=D(13), target_label="Target: at most 13%")
    assert chart.target is not None and chart.target.label == "Target: at most 13%"
    # The axis reaches the target even though no line does: 0-15 in steps of 5.
    assert [t.label for t in chart.y_ticks] == ["0%", "5%", "10%", "15%"]
    assert chart.plot_top < chart.target.y < chart.plot_bottom
    assert chart.target.y == round(chart.plot_bottom - (chart.plot_bottom - chart.plot_top) * 13 / 15, 1)
    assert chart.rows[-1] == ("Millbridge", ("9%", "no figure")) and len(chart.lines) == 1
    assert line_chart("b", "B", "percent", ["2026"], [("Here", [D(8)])], "s").target is None
