"""Small-number suppression, primary and secondary, against cases worked by hand."""

from decimal import Decimal

import pytest

from cswork_site.pages import suppression


@pytest.mark.parametrize(("value", "text", "hidden"), [
    (0, "0", False), (1, "fewer than 5", True), (4, "fewer than 5", True), (5, "5", False), (24, "24", False),
])
def test_counts_below_the_threshold_are_words(value, text, hidden):
    shown = suppression.count(value, 5)
    assert shown.text == text and shown.suppressed is hidden


def test_rates_on_a_small_base_are_withheld():
    assert suppression.rate(Decimal("12.5"), 8, 10).text == "not published"
    assert suppression.rate(Decimal("12.5"), 40, 10).text == "12.5%"
    assert suppression.rate(Decimal("12.5"), None, 10).text == "12.5%"


def test_one_hidden_part_hides_the_next_smallest_so_the_total_gives_nothing_away():
    # 3 + 7 + 12 = 22. Showing 7, 12 and 22 would reveal 3, so 7 goes too.
    parts, total = suppression.group({"a": 3, "b": 7, "c": 12}, 5)
    assert [parts[k].text for k in "abc"] == ["fewer than 5", "not published", "12"]
    assert total.text == "22"
    # Nothing hidden stays recoverable: total minus visible parts spans two hidden ones.
    assert sum(1 for s in parts.values() if s.suppressed) != 1


def test_two_hidden_parts_need_nothing_more():
    parts, total = suppression.group({"a": 2, "b": 4, "c": 30}, 5)
    assert [parts[k].text for k in "abc"] == ["fewer than 5", "fewer than 5", "30"]
    assert total.text == "36"


def test_a_single_hidden_part_with_only_zeros_beside_it_hides_the_total():
    parts, total = suppression.group({"a": 3, "b": 0}, 1 + 4)
    assert parts["a"].suppressed and not parts["b"].suppressed
    # 0 + 3 shown as a total would reveal 3.
    assert total.suppressed is True or total.text == "fewer than 5"


def test_nothing_small_nothing_hidden():
    parts, total = suppression.group({"a": 6, "b": 9}, 5)
    assert [s.text for s in parts.values()] == ["6", "9"] and total.text == "15"
