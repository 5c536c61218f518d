"""Take-home pay arithmetic (cswork_site/pages/pay.py) against worked examples done by hand.

Every expected figure below is worked out in the comments beside it from the
2026-27 rules in data/pay-rules.yaml, band by band and deduction by deduction, and
asserted to the penny. The figures used:

  Income tax (England): personal allowance 12,570, less £1 per £2 over 100,000;
    then on taxable income 20% to 37,700, 40% to 125,140, 45% above.
  Employee NI: 8% from 12,570 to 50,270, 2% above.   Employer NI: 15% above 5,000.
  Apprenticeship levy 0.5%.   Auto-enrolment: 6,240 to 50,270; 3% employer, 5% employee.
  LGPS bands from April 2026: to 18,400 5.5%; to 29,000 5.8%; to 47,300 6.5%;
    to 59,800 6.8%; to 84,000 8.5%; to 119,100 9.9%; to 140,400 10.5%; ...
  Umbrella: margin 20 a week, 46.4 weeks, 37 hours, holiday pay 12.07%.
  Permanent: 260 working days, 5 learning days.

Rounding: each result to the nearest penny, half up (see pay.py).
"""

from __future__ import annotations

import io
import re
import tokenize
from decimal import Decimal as D
from pathlib import Path

import pytest

from cswork_site.data.loading import validate_document
from cswork_site.data.models.pay_rules import PayRules
from cswork_site.data.yamlfile import load_yaml
from cswork_site.pages import pay

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "pay-rules.yaml"
SHOWN = "data/pay-rules.yaml"
# The one-line problem format every error must follow (as in test_error_contract.py).
LINE_FORMAT = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


@pytest.fixture(scope="module")
def rules() -> PayRules:
    doc, problems = load_yaml(DATA, SHOWN)
    assert doc is not None and not problems
    model, problems = validate_document(doc, PayRules)
    assert not problems, [str(p) for p in problems]
    assert isinstance(model, PayRules)
    return model


# --- worked examples: permanent posts ------------------------------------------------

def test_basic_rate_salary_38000_with_lgps(rules):
    p = pay.permanent_package(38000, 0, "18.5", 28, 8, rules)
    # LGPS: 38,000 is in the 29,001-47,300 band -> 6.5%; 38,000 x 6.5% = 2,470.00
    assert p.employee_pension_percent == D("6.5")
    assert p.employee_pension == D("2470.00")
    # Net pay arrangement: taxable = 38,000 - 2,470 = 35,530
    assert p.taxable_pay == D("35530")
    # Tax: allowance 12,570 in full (under 100,000); 35,530 - 12,570 = 22,960 taxable,
    # all in the basic band: 22,960 x 20% = 4,592.00
    assert p.income_tax == D("4592.00")
    # NI on gross, not after pension: (38,000 - 12,570) x 8% = 25,430 x 8% = 2,034.40
    assert p.employee_ni == D("2034.40")
    # Take-home: 38,000 - 2,470 - 4,592 - 2,034.40 = 28,903.60; a month 2,408.633 -> 2,408.63
    assert p.take_home_year == D("28903.60")
    assert p.take_home_month == D("2408.63")
    # Employer pension 38,000 x 18.5% = 7,030.00.
    # Total reward is pay plus employer pension: 38,000 + 7,030 = 45,030.00. (This test
    # used to add the value of the 36 days' leave and 5 learning days on top, 51,022.31;
    # salary already pays for them, so that counted them twice: issue 15.)
    # What differs from a locum: 36 days off less the statutory 5.6 weeks x 5 days = 28,
    # so 8 days; a day's pay 38,000 / 260 = 146.1538...; 8 days 1,169.230 -> 1,169.23.
    # Hours worked: (260 - 36) days x 37 / 5 = 7.4 hours = 1,657.6; pay per hour
    # 38,000 / 1,657.6 = 22.9247 -> 22.92; total reward per hour 45,030 / 1,657.6 = 27.1658 -> 27.17
    assert p.employer_pension == D("7030.00")
    assert (p.leave_days, p.statutory_leave_days, p.extra_days_off) == (36, 28, 8)
    assert (p.day_rate, p.extra_days_value) == (D("146.15"), D("1169.23"))
    assert p.total_reward == D("45030.00")
    assert p.hours_worked == D("1657.6")
    assert (p.pay_per_hour_worked, p.reward_per_hour_worked) == (D("22.92"), D("27.17"))


def test_salary_56000_crosses_the_higher_rate_threshold(rules):
    p = pay.permanent_package(56000, 0, "18.5", 28, 8, rules)
    # LGPS: 47,301-59,800 band -> 6.8%; 56,000 x 6.8% = 3,808.00
    assert p.employee_pension == D("3808.00")
    # Taxable 56,000 - 3,808 = 52,192; less allowance 12,570 = 39,622
    #   basic:  37,700 x 20% = 7,540.00
    #   higher: 39,622 - 37,700 = 1,922 x 40% = 768.80
    #   total 8,308.80
    assert p.income_tax == D("8308.80")
    # NI: (50,270 - 12,570) = 37,700 x 8% = 3,016.00
    #     (56,000 - 50,270) =  5,730 x 2% =   114.60   total 3,130.60
    assert p.employee_ni == D("3130.60")
    # Take-home 56,000 - 3,808 - 8,308.80 - 3,130.60 = 40,752.60; a month 3,396.05
    assert p.take_home_year == D("40752.60")
    assert p.take_home_month == D("3396.05")


def test_lgps_band_boundary_on_and_just_over_29000(rules):
    on = pay.permanent_package(29000, 0, "18.5", 28, 8, rules)
    # On the limit: 29,000 is the last pound of the 18,401-29,000 band -> 5.8%
    #   pension 29,000 x 5.8% = 1,682.00; taxable 27,318
    #   tax (27,318 - 12,570) = 14,748 x 20% = 2,949.60
    #   NI  (29,000 - 12,570) = 16,430 x 8%  = 1,314.40
    #   take-home 29,000 - 1,682 - 2,949.60 - 1,314.40 = 23,054.00
    assert on.employee_pension_percent == D("5.8")
    assert (on.employee_pension, on.income_tax, on.employee_ni) == (D("1682.00"), D("2949.60"), D("1314.40"))
    assert on.take_home_year == D("23054.00")

    over = pay.permanent_package(29001, 0, "18.5", 28, 8, rules)
    # One pound over: the whole of pay moves to 6.5%
    #   pension 29,001 x 6.5% = 1,885.065 -> 1,885.07 (half a penny rounds up)
    #   taxable 29,001 - 1,885.07 = 27,115.93
    #   tax (27,115.93 - 12,570) = 14,545.93 x 20% = 2,909.186 -> 2,909.19
    #   NI  (29,001 - 12,570) = 16,431 x 8% = 1,314.48
    #   take-home 29,001 - 1,885.07 - 2,909.19 - 1,314.48 = 22,892.26; a month 1,907.688 -> 1,907.69
    assert over.employee_pension_percent == D("6.5")
    assert (over.employee_pension, over.income_tax, over.employee_ni) == (D("1885.07"), D("2909.19"), D("1314.48"))
    assert over.take_home_year == D("22892.26")
    assert over.take_home_month == D("1907.69")
    # The band edge is a cliff: £1 more pay, £161.74 less take-home.
    assert on.take_home_year - over.take_home_year == D("161.74")


def test_lgps_rate_on_each_side_of_the_lowest_band(rules):
    # Up to 18,400 -> 5.5%; 18,401 -> 5.8%. Pay is taken in whole pounds, rounded
    # down, so 18,400.99 is still 18,400.
    assert pay.lgps_rate(18400, rules) == D("5.5")
    assert pay.lgps_rate("18400.99", rules) == D("5.5")
    assert pay.lgps_rate(18401, rules) == D("5.8")
    assert pay.lgps_rate(1_000_000, rules) == D("12.5")


def test_personal_allowance_taper_at_110000(rules):
    # No pension: adjusted net income 110,000 is 10,000 over 100,000.
    # Allowance 12,570 - 10,000 / 2 = 7,570; taxable 110,000 - 7,570 = 102,430
    #   basic:  37,700 x 20% =  7,540.00
    #   higher: 102,430 - 37,700 = 64,730 x 40% = 25,892.00
    #   total 33,432.00 (with the full allowance it would be 31,432.00: the taper costs 2,000)
    assert pay.personal_allowance(110000, rules) == D("7570")
    assert pay.income_tax(110000, rules) == D("33432.00")
    # At 125,140 the allowance is gone: 7,540 + (125,140 - 37,700) x 40% = 7,540 + 34,976 = 42,516.00
    assert pay.personal_allowance(125140, rules) == 0
    assert pay.income_tax(125140, rules) == D("42516.00")
    # At 130,000: 42,516 + (130,000 - 125,140) x 45% = 42,516 + 2,187 = 44,703.00
    assert pay.income_tax(130000, rules) == D("44703.00")


def test_lgps_contribution_shrinks_the_taper_at_120000(rules):
    p = pay.permanent_package(120000, 0, "18.5", 28, 8, rules)
    # LGPS: 119,101-140,400 band -> 10.5%; 120,000 x 10.5% = 12,600.00
    # Taxable 120,000 - 12,600 = 107,400: 7,400 over 100,000, so the allowance is
    # 12,570 - 3,700 = 8,870 (it would be 2,570 without the pension)
    #   taxable after allowance 107,400 - 8,870 = 98,530
    #   basic:  37,700 x 20% =  7,540.00
    #   higher: 98,530 - 37,700 = 60,830 x 40% = 24,332.00
    #   total 31,872.00
    assert p.employee_pension == D("12600.00")
    assert p.income_tax == D("31872.00")
    # NI: 37,700 x 8% = 3,016.00; (120,000 - 50,270) = 69,730 x 2% = 1,394.60; total 4,410.60
    assert p.employee_ni == D("4410.60")
    # Take-home 120,000 - 12,600 - 31,872 - 4,410.60 = 71,117.40; a month 5,926.45
    assert p.take_home_year == D("71117.40")
    assert p.take_home_month == D("5926.45")


def test_one_off_supplement_left_out_of_pensionable_pay(rules):
    p = pay.permanent_package(38000, 3000, "18.5", 28, 8, rules, supplement_pensionable=False)
    # Pensionable 38,000 -> 6.5% = 2,470.00; employer 18.5% = 7,030.00
    # Taxable 41,000 - 2,470 = 38,530; tax (38,530 - 12,570) = 25,960 x 20% = 5,192.00
    # NI (41,000 - 12,570) = 28,430 x 8% = 2,274.40
    # Take-home 41,000 - 2,470 - 5,192 - 2,274.40 = 31,063.60
    assert (p.gross, p.pensionable_pay) == (D("41000"), D("38000"))
    assert (p.employee_pension, p.employer_pension) == (D("2470.00"), D("7030.00"))
    assert (p.income_tax, p.employee_ni) == (D("5192.00"), D("2274.40"))
    assert p.take_home_year == D("31063.60")


# --- worked examples: locums through an umbrella company ----------------------------

def test_locum_35_an_hour_through_an_umbrella(rules):
    p = pay.umbrella_package(35, rules)
    # Income 35 x 37 hours x 46.4 weeks = 60,088.00; margin 20 x 46.4 = 928.00
    # Left for pay and employer costs: 60,088 - 928 = 59,160.00
    assert (p.assignment_income, p.umbrella_margin) == (D("60088.00"), D("928.00"))
    # Solve gross g (above 50,270, so the employer pension is at its cap):
    #   g + 15% (g - 5,000) + 0.5% g + 3% (50,270 - 6,240) = 59,160
    #   1.155 g - 750 + 1,320.90 = 59,160  ->  g = 58,589.10 / 1.155 = 50,726.4935 -> 50,726.49 (down)
    assert p.gross_pay == D("50726.49")
    #   employer NI (50,726.49 - 5,000) x 15% = 6,858.9735 -> 6,858.97
    #   levy 50,726.49 x 0.5% = 253.632 -> 253.63;  employer pension 44,030 x 3% = 1,320.90
    #   50,726.49 + 6,858.97 + 253.63 + 1,320.90 = 59,159.99: the last penny is rounding
    assert (p.employer_ni, p.apprenticeship_levy, p.employer_pension) == (
        D("6858.97"), D("253.63"), D("1320.90"))
    # Rolled-up holiday pay inside gross: 50,726.49 x 12.07 / 112.07 = 5,463.2706 -> 5,463.27
    assert p.holiday_pay == D("5463.27")
    # Employee pension (net pay): 44,030 x 5% = 2,201.50; taxable 50,726.49 - 2,201.50 = 48,524.99
    # Tax (48,524.99 - 12,570) = 35,954.99 x 20% = 7,190.998 -> 7,191.00
    # NI 37,700 x 8% = 3,016.00 + (50,726.49 - 50,270) = 456.49 x 2% = 9.1298; 3,025.1298 -> 3,025.13
    assert (p.employee_pension, p.taxable_pay) == (D("2201.50"), D("48524.99"))
    assert (p.income_tax, p.employee_ni) == (D("7191.00"), D("3025.13"))
    # Take-home 50,726.49 - 2,201.50 - 7,191.00 - 3,025.13 = 38,308.86; a month 3,192.405 -> 3,192.41
    assert p.take_home_year == D("38308.86")
    assert p.take_home_month == D("3192.41")
    # Total reward counts the employer pension the umbrella pays out of the rate, as the
    # permanent side counts the LGPS one: 50,726.49 + 1,320.90 = 52,047.39. Hours worked
    # 37 x 46.4 = 1,716.8; pay per hour 50,726.49 / 1,716.8 = 29.5471 -> 29.55;
    # total reward per hour 52,047.39 / 1,716.8 = 30.3166 -> 30.32
    assert p.total_reward == D("52047.39")
    assert p.hours_worked == D("1716.8")
    assert (p.pay_per_hour_worked, p.reward_per_hour_worked) == (D("29.55"), D("30.32"))


def test_locum_weeks_worked_can_be_fewer(rules):
    # 35 an hour, 37 hours, 40 weeks: income 35 x 37 x 40 = 51,800.00; margin 20 x 40 = 800.00
    # Left 51,000.00; gross above 50,270: g = (51,000 + 750 - 1,320.90) / 1.155
    #   = 50,429.10 / 1.155 = 43,661.5584 -> below 50,270, so solve the middle stretch instead:
    #   g + 15% (g - 5,000) + 0.5% g + 3% (g - 6,240) = 51,000 -> 1.185 g = 51,937.20
    #   g = 43,828.8608 -> 43,828.86
    p = pay.umbrella_package(35, rules, weeks_worked=40)
    assert (p.assignment_income, p.umbrella_margin, p.weeks_worked) == (D("51800.00"), D("800.00"), 40)
    assert p.gross_pay == D("43828.86")
    assert p.hours_worked == D("1480")


def test_locum_45_an_hour_through_an_umbrella(rules):
    p = pay.umbrella_package(45, rules)
    # Income 45 x 37 x 46.4 = 77,256.00; less margin 928.00 = 76,328.00
    # g = (76,328 + 750 - 1,320.90) / 1.155 = 75,757.10 / 1.155 = 65,590.5628 -> 65,590.56
    assert p.assignment_income == D("77256.00")
    assert p.gross_pay == D("65590.56")
    # Employer NI 60,590.56 x 15% = 9,088.584 -> 9,088.58; levy 327.9528 -> 327.95
    assert (p.employer_ni, p.apprenticeship_levy, p.employer_pension) == (
        D("9088.58"), D("327.95"), D("1320.90"))
    # Holiday pay 65,590.56 x 12.07 / 112.07 = 7,064.139 -> 7,064.14
    assert p.holiday_pay == D("7064.14")
    # Pension 2,201.50; taxable 63,389.06; less allowance 12,570 = 50,819.06
    #   basic 37,700 x 20% = 7,540.00; higher 13,119.06 x 40% = 5,247.624; total 12,787.624 -> 12,787.62
    # NI 3,016.00 + (65,590.56 - 50,270) = 15,320.56 x 2% = 306.4112; 3,322.4112 -> 3,322.41
    assert (p.income_tax, p.employee_ni) == (D("12787.62"), D("3322.41"))
    # Take-home 65,590.56 - 2,201.50 - 12,787.62 - 3,322.41 = 47,279.03; a month 3,939.919 -> 3,939.92
    assert p.take_home_year == D("47279.03")
    assert p.take_home_month == D("3939.92")


@pytest.mark.parametrize("rate, hours", [(35, None), (45, None), (20, 20), (12, 10), (60, 37)])
def test_umbrella_costs_never_exceed_what_the_agency_pays(rules, rate, hours):
    # Below and above every threshold: pay and employer costs use all the money
    # left after the margin, short by at most the rounding of four figures.
    p = pay.umbrella_package(rate, rules, hours_per_week=hours)
    spent = p.gross_pay + p.employer_ni + p.apprenticeship_levy + p.employer_pension
    left = p.assignment_income - p.umbrella_margin
    assert D("-0.02") <= left - spent <= D("0.03")
    assert pay.employment_cost(p.gross_pay, rules) <= left


def test_locum_package_lists_what_a_locum_does_not_get(rules):
    p = pay.umbrella_package(35, rules)
    text = " ".join(p.not_included).lower()
    for thing in ("sick pay", "local government pension scheme", "learning", "parental pay", "notice"):
        assert thing in text


def test_part_time_hours_and_the_monthly_figure(rules):
    # 20 hours at 20: income 20 x 20 x 46.4 = 18,560.00; less 928 = 17,632.00
    # g is between 6,240 and 50,270: g + 15% (g - 5,000) + 0.5% g + 3% (g - 6,240) = 17,632
    #   1.185 g - 750 - 187.20 = 17,632  ->  g = 18,569.20 / 1.185 = 15,670.2110 -> 15,670.21
    p = pay.umbrella_package(20, rules, hours_per_week=20)
    assert p.gross_pay == D("15670.21")
    # Pension (15,670.21 - 6,240) = 9,430.21 x 5% = 471.5105 -> 471.51; taxable 15,198.70
    # Tax (15,198.70 - 12,570) = 2,628.70 x 20% = 525.74
    # NI (15,670.21 - 12,570) = 3,100.21 x 8% = 248.0168 -> 248.02
    # Take-home 15,670.21 - 471.51 - 525.74 - 248.02 = 14,424.94; a month 1,202.078 -> 1,202.08
    assert (p.employee_pension, p.income_tax, p.employee_ni) == (D("471.51"), D("525.74"), D("248.02"))
    assert p.take_home_year == D("14424.94")
    assert p.take_home_month == D("1202.08")


# --- the figures come from the rules, not the code ------------------------------------

def test_changing_a_figure_in_the_rules_changes_the_answer(rules):
    raised = rules.model_copy(update={
        "income_tax": rules.income_tax.model_copy(update={"personal_allowance": D(13000)})})
    # 430 more allowance at 20% is 86.00 less tax: 4,592.00 -> 4,506.00 on 35,530 taxable
    assert pay.income_tax(35530, rules) - pay.income_tax(35530, raised) == D("86.00")


def test_assumptions_are_built_from_the_rules(rules):
    texts = [a.text for a in pay.assumptions(rules)]
    joined = " ".join(texts)
    for phrase in ("2026-27", "6 April 2026", "£12,570", "£1 for every £2", "£100,000",
                   "20% (basic rate) on the next £37,700", "£125,140", "45%",
                   "8% of pay between £12,570 and £50,270", "5.5% to 12.5%",
                   "37 hours a week for 46.4 weeks", "12.07%", "£20 a week", "15% above £5,000",
                   "(0.5%)", "5% of earnings between £6,240 and £50,270", "260 working days"):
        assert phrase in joined, phrase
    assert {a.topic for a in pay.assumptions(rules)} == {"tax", "permanent", "locum", "rounding"}
    assert "30 hours a week" in " ".join(a.text for a in pay.assumptions(rules, hours_per_week=30))


# Numbers pay.py may contain: 0 and 1 (empty totals, the first/last band), 12 (months
# in a year), 100 (rates in the rules are percentages), and the string "0.01" (the
# penny that results are rounded to). Anything else is a rate or threshold in disguise.
ALLOWED_NUMBERS = {"0", "1", "12", "100"}
ALLOWED_NUMERIC_STRINGS = {"0.01"}
# The figures a careless edit would most likely paste into the code.
TELLTALE = re.compile(
    r"(?<![\w.])(?:12[_,]?570|50[_,]?270|125[_,]?140|37[_,]?700|100[_,]?000|5[_,]?000|6[_,]?240"
    r"|18[_,]?400|12\.07|46\.4|52\.14|0\.4|0\.45|0\.2|0\.08|0\.02|0\.15|0\.005|0\.03|0\.05|0\.5)(?![\w.])")


def test_pay_py_holds_no_rates_or_thresholds():
    source = (REPO / "cswork_site" / "pages" / "pay.py").read_text(encoding="utf-8")
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    numbers = {t.string for t in tokens if t.type == tokenize.NUMBER}
    assert numbers <= ALLOWED_NUMBERS, f"numeric literals in pay.py: {sorted(numbers - ALLOWED_NUMBERS)}"
    numeric_strings = {t.string.strip("'\"") for t in tokens if t.type == tokenize.STRING
                       and re.fullmatch(r"['\"][\d.,_]*\d[\d.,_]*['\"]", t.string)}
    assert numeric_strings <= ALLOWED_NUMERIC_STRINGS, sorted(numeric_strings)
    assert not TELLTALE.findall(source)


# --- validation: problems come out as PATH:LINE: FIELD: MESSAGE -----------------------

def _line(text: str, stripped_start: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(stripped_start):
            return number
    raise AssertionError(f"{stripped_start!r} not in the file: the data changed; update this test")


def _validate(tmp_path: Path, old: str, new: str) -> tuple[str, list[str]]:
    text = DATA.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found: the data changed; update this test"
    edited = text.replace(old, new, 1)
    file = tmp_path / "pay-rules.yaml"
    file.write_text(edited, encoding="utf-8")
    doc, problems = load_yaml(file, SHOWN)
    assert doc is not None and not problems
    model, problems = validate_document(doc, PayRules)
    assert model is None
    lines = [str(p) for p in problems]
    for line in lines:
        assert LINE_FORMAT.match(line), line
    return edited, lines


def test_the_real_rules_file_is_valid(rules):
    assert rules.tax_year == "2026-27"
    assert str(rules.tax_year_starts) == "2026-04-06"
    assert all(str(s.url).startswith("https://") for s in rules.sources)


def test_lgps_bands_out_of_order(tmp_path):
    text, lines = _validate(tmp_path, "up_to: 29000", "up_to: 17000")
    assert lines == [f"{SHOWN}:{_line(text, 'lgps_bands:')}: lgps_bands: expected LGPS bands in "
                     "ascending order of up_to; band 2 ends at 17000, not above 18400"]


def test_income_tax_bands_out_of_order(tmp_path):
    text, lines = _validate(tmp_path, "up_to: 125140", "up_to: 30000")
    assert lines == [f"{SHOWN}:{_line(text, 'bands:')}: income_tax.bands: expected income tax bands "
                     "in ascending order of up_to; band 2 ends at 30000, not above 37700"]


def test_only_the_last_band_may_be_open_ended(tmp_path):
    text, lines = _validate(tmp_path, "up_to: 47300", "up_to: null")
    assert lines == [f"{SHOWN}:{_line(text, 'lgps_bands:')}: lgps_bands: expected only the last "
                     "LGPS band to have no up_to; band 3 of 9 has none"]


def test_percentage_over_100(tmp_path):
    text, lines = _validate(tmp_path, "rate_percent: 5.5", "rate_percent: 120")
    assert lines == [f"{SHOWN}:{_line(text, 'rate_percent: 120')}: lgps_bands[0].rate_percent: "
                     "expected less than or equal to 100; found 120"]


@pytest.mark.parametrize("written", ['"2026/27"', '"2026-28"', '"26-27"', "2026"])
def test_tax_year_format(tmp_path, written):
    text, lines = _validate(tmp_path, 'tax_year: "2026-27"', f"tax_year: {written}")
    found = written.strip('"')
    assert lines == [f"{SHOWN}:{_line(text, 'tax_year:')}: tax_year: expected a tax year written as the "
                     "first year, a hyphen and the last two digits of the next year, like 2026-27; "
                     f"found {found!r}"]


def test_tax_year_missing(tmp_path):
    text, lines = _validate(tmp_path, 'tax_year: "2026-27"\n', "")
    # A missing top-level key is reported at the file's first key.
    assert lines == [f"{SHOWN}:{_line(text, 'tax_year_starts:')}: tax_year: is required but missing"]


def test_tax_year_start_must_be_6_april_of_that_year(tmp_path):
    text, lines = _validate(tmp_path, "tax_year_starts: 2026-04-06", "tax_year_starts: 2025-04-06")
    assert lines == [f"{SHOWN}:{_line(text, 'tax_year_starts:')}: tax_year_starts: expected 6 April "
                     "2026, the start of tax year 2026-27; found 2025-04-06"]
