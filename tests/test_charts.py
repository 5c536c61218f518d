"""Chart geometry and the sentences that describe a change."""

import datetime as dt
from decimal import Decimal as D

from cswork_site.charts import change_sentence, line_chart


def test_sentences_say_the_change_in_words():
    assert change_sentence("Agency use", D("22"), dt.date(2024, 9, 30), D("18.5"), dt.date(2026, 9, 30), "percent") \
        == "Agency use fell from 22% to 18.5% in two years."
    assert change_sentence("Caseload", D("15"), dt.date(2026, 3, 31), D("16"), dt.date(2026, 9, 30), "children per worker") \
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
    assert all(b - a >= 16 for a, b in zip(ys, ys[1:]))
