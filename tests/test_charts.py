"""Chart geometry and the sentences that describe a change."""

import datetime as dt
import itertools
from decimal import Decimal as D

from cswork_site.pages.charts import change_sentence, line_chart


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


def test_axis_ticks_are_round_and_end_labels_never_overlap():
    chart = line_chart("a", "A", "percent", ["2024", "2025"],
                       [("Here", [D(20), D(13)]), ("England", [D(16), D("13.1")]), ("Region", [D(15), D("13.2")])], "s")
    assert [t.label for t in chart.y_ticks] == ["0%", "5%", "10%", "15%", "20%"]
    ys = sorted(line.label_y for line in chart.lines)
    assert all(b - a >= 16 for a, b in itertools.pairwise(ys))


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
