"""The agency-to-permanent page: the comparison matches the pay arithmetic, the optional
calculator agrees with the tables in Chromium, and stale tax data is flagged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup

from cswork_site.pages.filters import money

from .helpers import cswork, serving

PAGE = "agency-to-permanent/index.html"


def _soup(output):
    return BeautifulSoup((output / PAGE).read_text(), "html.parser")


def _row(soup, label):
    th = soup.find("th", string=re.compile(rf"^{re.escape(label)}"))
    return [td.get_text(" ", strip=True) for td in th.find_parent("tr").find_all("td")]


def test_side_by_side_table_shows_each_rate_and_the_permanent_post(built_demo):
    site, output = built_demo
    soup = _soup(output)
    heads = [th.get_text(strip=True) for th in soup.select("table.compare thead th")]
    assert heads == ["Per year", "Permanent, point 32",
                     "Locum, £35 an hour", "Locum, £40 an hour", "Locum, £45 an hour"]
    take_home = _row(soup, "Take-home pay a year")
    assert len(take_home) == 4 and all(v.startswith("£") for v in take_home)
    # Gross for a permanent social worker at point 32 is salary + the market supplement.
    assert _row(soup, "Pay before deductions")[0] == money(42500 + 3000)
    # Locum gross plus the umbrella's costs adds back to what the agency pays, within £1 a year of rounding.
    def pounds(text):
        return int(re.sub(r"[^\d]", "", text.split(" ")[0]))
    for col in range(1, 4):
        paid = pounds(_row(soup, "Paid by the agency for your hours")[col])
        parts = [pounds(_row(soup, label)[col]) for label in (
            "Kept by the umbrella company", "Employer National Insurance", "Apprenticeship levy",
            "Pay before deductions")]
        pension = pounds(_row(soup, "Employer pension contribution")[col])
        assert abs(paid - sum(parts) - pension) <= 3
    # Renamed from "What a locum does not get": a locum does get statutory leave and a
    # minimum pension, so the list says what differs (issue 15).
    assert soup.find("h3", string="What else differs").find_next("ul").find_all("li")
    assumptions = soup.find(id="assumptions").find_next("ul").get_text(" ")
    assert "2026-27" in assumptions


def test_rules_stories_event_and_contact(built_demo):
    _, output = built_demo
    text = " ".join(_soup(output).get_text(" ").split())
    assert "at least 3 years' post-qualifying experience" in text
    assert "2 practice-based references" in text
    assert "for 3 months" in text and "4 weeks" in text
    assert "£45.00 an hour" in text
    assert "Agency to permanent: an evening with the Director" in text
    assert "goingperm@castlebrook.example.org" in text
    soup = _soup(output)
    assert soup.find("a", href="https://www.gov.uk/government/publications/child-and-family-social-workers-agency-rules")
    assert soup.select_one('#converts ~ ul a[href^="/stories/"]') is not None


@pytest.mark.slow
def test_calculator_is_hidden_without_script_and_agrees_with_the_table(browser, built_demo):
    _, output = built_demo
    soup = _soup(output)
    month_at_40 = _row(soup, "Take-home pay a month")[2]
    month_permanent = _row(soup, "Take-home pay a month")[0]
    with serving(output) as base:
        plain = browser.new_context(java_script_enabled=False).new_page()
        plain.goto(f"{base}/{PAGE}")
        assert not plain.locator("[data-calculator]").is_visible()
        page = browser.new_page()
        page.goto(f"{base}/{PAGE}")
        assert page.locator("[data-calculator]").is_visible()
        page.fill("#calc-rate", "40")
        result = page.locator("[data-result]").inner_text()
        assert f"about {month_at_40} a month" in result
        assert f"you would take home {month_permanent} a month" in result
        # The calculator now works a locum's pay out exactly for any rate, as pay.py
        # does, instead of looking up the nearest 50p (issue 15: any hours and weeks).
        page.fill("#calc-rate", "40.20")
        assert "£40.20 an hour" in page.locator("[data-result]").inner_text()
        assert "nearest 50p" not in page.locator("[data-result]").inner_text()
        page.fill("#calc-rate", "500")
        assert "Enter an hourly rate from" in page.locator("[data-result]").inner_text()
        page.select_option("#calc-point", "social-worker:29")
        page.fill("#calc-rate", "35")
        row29 = soup.find("th", string="29").find_parent("tr").find_all("td")[2].get_text(strip=True)
        assert f"you would take home {row29} a month" in page.locator("[data-result]").inner_text()


@pytest.mark.slow
def test_pay_rules_from_a_past_tax_year_warn(site):
    moment = dt.datetime(2027, 5, 1, tzinfo=dt.UTC)
    result = cswork("build", str(site), env={"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))})
    assert result.returncode == 0, result.stderr
    line = next(i for i, text in enumerate((site / "data" / "pay-rules.yaml").read_text().splitlines(), 1)
                if text.startswith("tax_year:"))
    assert (f"data/pay-rules.yaml:{line}: tax_year: warning: is 2026-27, which ended on 5 April 2027"
            in result.stderr)
