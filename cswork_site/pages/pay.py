"""Take-home pay for a permanent council post and for agency work through an umbrella.

Pure functions over PayRules (data/pay-rules.yaml). No rate, threshold or band is
written here: each comes from the rules, with its tax year and source, so a new
April means editing YAML. tests/test_pay.py checks that no such number creeps in.

Rounding: amounts are worked out exactly in Decimal, and each figure a reader sees
(a tax, a contribution, a value) is rounded once, to the nearest penny, a half penny
rounding up. Totals such as take-home are sums and differences of those rounded
figures, so what the page shows adds up to the penny. Monthly figures are yearly
ones divided by 12 and rounded the same way.

Yearly, not per payslip: tax and National Insurance are worked out on a year's pay
as if it were spread evenly. Payroll works them out each pay period, with
thresholds rounded to the period, so a real payslip can differ by a few pence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise

from cswork_site.data.models.nation import Nation, default_nation
from cswork_site.data.models.pay_rules import PayRules
from cswork_site.pages.filters import long_date
from cswork_site.translation import gettext as _

Number = Decimal | int | float | str

ZERO = Decimal(0)
HUNDRED = Decimal(100)  # rates in the rules are percentages
PENNY = Decimal("0.01")  # the unit every result is rounded to
MONTHS = 12

# What differs, beyond pay, between a locum paid through an umbrella company and a
# permanent council social worker. Plain words, no figures: figures belong in the rules.
# A locum does get paid leave (the statutory 5.6 weeks, rolled up into the rate) and a
# workplace pension (the legal minimum): the wording says what differs, not that a
# locum gets nothing.
def not_included() -> tuple[str, ...]:
    """In the current language (translated as the page is written, never at import)."""
    return (
        _("Sick pay: a permanent post has council sick pay; a locum gets only Statutory Sick Pay."),
        _("Pension: a permanent post is in the Local Government Pension Scheme, a guaranteed "
          "pension based on your pay; through an umbrella, the employer pays only the legal "
          "minimum into a workplace pension, out of your rate."),
        _("Learning days: a permanent post has paid days for learning and development; a locum's "
          "days spent training are unpaid."),
        _("Family leave: a permanent post has enhanced maternity, paternity, adoption and shared "
          "parental pay; a locum gets the statutory amounts."),
        _("Annual leave: a locum gets the legal minimum, paid as rolled-up holiday pay within the "
          "rate; council leave is longer and rises with service."),
        _("Pay between assignments: as a locum, no work means no pay."),
        _("Job security and notice: an assignment can end at short notice."),
        _("Yearly progression through the pay points of a grade."),
    )


def _d(value: Number) -> Decimal:
    # Through str, so that a float such as 35.1 becomes 35.1 and not 35.0999...
    return value if isinstance(value, Decimal) else Decimal(str(value))


def pence(value: Decimal) -> Decimal:
    """Round to the nearest penny, a half penny up: the one rounding rule used here."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return amount * percent / HUNDRED


def _between(pay: Decimal, low: Decimal, high: Decimal | None) -> Decimal:
    """The part of pay above low and not above high; high None means no ceiling."""
    top = pay if high is None else min(pay, high)
    return max(ZERO, top - low)


# --- income tax and National Insurance -------------------------------------------

def personal_allowance(income: Number, rules: PayRules) -> Decimal:
    """The tax-free allowance left at this income, after the taper above the threshold."""
    rule = rules.income_tax
    over = max(ZERO, _d(income) - rule.taper_threshold)
    return max(ZERO, rule.personal_allowance - _percent_of(over, rule.taper_rate_percent))


def income_tax(taxable_pay: Number, rules: PayRules) -> Decimal:
    """Income tax on a year's taxable pay (pay after any net-pay pension contribution).

    The bands apply to income above the personal allowance, so when the allowance
    tapers away the higher rate starts at a lower salary, as the law intends.
    """
    pay = _d(taxable_pay)
    taxable = max(ZERO, pay - personal_allowance(pay, rules))
    tax, floor = ZERO, ZERO
    for band in rules.income_tax.bands:
        tax += _percent_of(_between(taxable, floor, band.up_to), band.rate_percent)
        if band.up_to is None:
            break
        floor = band.up_to
    return pence(tax)


def _employee_ni(pay: Decimal, rules: PayRules) -> Decimal:
    ni = rules.employee_ni
    return (_percent_of(_between(pay, ni.primary_threshold, ni.upper_earnings_limit), ni.main_rate_percent)
            + _percent_of(_between(pay, ni.upper_earnings_limit, None), ni.upper_rate_percent))


def employee_ni(pay: Number, rules: PayRules) -> Decimal:
    """Employee Class 1 National Insurance on a year's gross pay.

    Gross, not after pension: a net pay arrangement lowers income tax, never NI.
    """
    return pence(_employee_ni(_d(pay), rules))


def _employer_ni(pay: Decimal, rules: PayRules) -> Decimal:
    ni = rules.employer_ni
    return _percent_of(_between(pay, ni.secondary_threshold, None), ni.rate_percent)


def employer_ni(pay: Number, rules: PayRules) -> Decimal:
    """Employer (secondary) Class 1 National Insurance on a year's gross pay."""
    return pence(_employer_ni(_d(pay), rules))


def _levy(pay: Decimal, rules: PayRules) -> Decimal:
    return _percent_of(pay, rules.apprenticeship_levy_percent)


def apprenticeship_levy(pay: Number, rules: PayRules) -> Decimal:
    return pence(_levy(_d(pay), rules))


# --- pensions ----------------------------------------------------------------------

def lgps_rate(pay: Number, rules: PayRules) -> Decimal:
    """The LGPS employee contribution percentage for a year's actual pensionable pay.

    The band is chosen on pay in whole pounds, rounded down, as scheme employers do;
    a band's up_to is the last pound in it, so pay exactly on a limit stays in the
    lower band.
    """
    whole = _d(pay).to_integral_value(rounding=ROUND_FLOOR)
    for band in rules.lgps_bands:
        if band.up_to is None or whole <= band.up_to:
            return band.rate_percent
    return rules.lgps_bands[-1].rate_percent  # not reached: the last band is open-ended


def qualifying_earnings(pay: Number, rules: PayRules) -> Decimal:
    """The part of pay that automatic-enrolment minimum contributions are worked out on."""
    ae = rules.auto_enrolment
    return _between(_d(pay), ae.lower, ae.upper)


def _employer_ae(pay: Decimal, rules: PayRules) -> Decimal:
    return _percent_of(qualifying_earnings(pay, rules), rules.auto_enrolment.employer_percent)


# --- the working year -----------------------------------------------------------------

def days_per_week(rules: PayRules) -> Decimal:
    """Working days in a week: the rules' working days a year over the weeks in the year
    (weeks a locum works plus the statutory leave weeks), so 260 / 52 = 5."""
    umbrella = rules.umbrella
    return (_d(rules.permanent.working_days_per_year)
            / (umbrella.weeks_worked_per_year + umbrella.statutory_leave_weeks))


def statutory_leave_days(rules: PayRules) -> Decimal:
    """A locum's statutory leave in days, bank holidays included: 5.6 weeks of 5 days, 28."""
    return rules.umbrella.statutory_leave_weeks * days_per_week(rules)


def per_hour(amount: Decimal, hours: Decimal) -> Decimal:
    """Pounds for each hour actually worked, to the penny; zero hours give zero."""
    return pence(amount / hours) if hours > ZERO else ZERO


# --- permanent post ----------------------------------------------------------------

@dataclass(frozen=True)
class PermanentPackage:
    """A year in a permanent council post. Pounds a year unless the name says month or hour."""

    salary: Decimal
    supplement: Decimal
    gross: Decimal  # salary + supplement: what is paid, before deductions
    pensionable_pay: Decimal
    employee_pension_percent: Decimal
    employee_pension: Decimal
    employer_pension_percent: Decimal
    employer_pension: Decimal
    leave_days: int  # annual leave and bank holidays together, all paid within the salary
    statutory_leave_days: Decimal  # what a locum gets, rolled up into the rate
    extra_days_off: Decimal  # leave_days beyond the statutory days: what really differs
    day_rate: Decimal  # a day's salary, salary / working days in the rules
    extra_days_value: Decimal  # extra_days_off at the day rate: paid within the salary, not extra cash
    learning_days: int  # paid within the salary; working days, spent learning
    hours_per_week: Decimal
    hours_worked: Decimal  # working days less leave days, at the hours of a working day
    taxable_pay: Decimal
    income_tax: Decimal
    employee_ni: Decimal
    take_home_year: Decimal
    take_home_month: Decimal
    total_reward: Decimal  # gross + employer pension: leave is inside gross, never added again
    pay_per_hour_worked: Decimal
    reward_per_hour_worked: Decimal


def permanent_package(salary: Number, supplement: Number, employer_pension_percent: Number,
                      leave_days: int, bank_holidays: int, rules: PayRules, *,
                      supplement_pensionable: bool = True,
                      hours_per_week: Number | None = None) -> PermanentPackage:
    """Take-home pay and total reward for a permanent post in the LGPS.

    The LGPS is a net pay arrangement: the employee's contribution comes off pay
    before income tax is worked out, so tax relief is given at the person's top rate
    straight away, but National Insurance is still due on the full gross pay.

    A recurring market supplement is contractual pay and so pensionable; pass
    supplement_pensionable=False for a one-off payment the scheme leaves out.

    Total reward is gross pay plus the employer's pension. Paid leave and learning
    days are paid within the salary, so their value is never added on top of it. What
    really differs from a locum, who gets the statutory leave rolled up into the rate,
    is the days off beyond the statutory ones: extra_days_off, valued at a day's salary
    (salary / working days in the rules) as extra_days_value, shown on its own, and
    the pay per hour actually worked, which is higher for the same salary when fewer
    days are worked.
    """
    pay, extra = _d(salary), _d(supplement)
    gross = pay + extra
    pensionable = gross if supplement_pensionable else pay
    member_rate = lgps_rate(pensionable, rules)
    employee_pension = pence(_percent_of(pensionable, member_rate))
    employer_percent = _d(employer_pension_percent)
    employer_pension = pence(_percent_of(pensionable, employer_percent))

    day_rate = pay / rules.permanent.working_days_per_year
    days_off = leave_days + bank_holidays
    statutory = statutory_leave_days(rules)
    extra_days = max(ZERO, days_off - statutory)
    hours = rules.umbrella.hours_per_week if hours_per_week is None else _d(hours_per_week)
    hours_worked = (rules.permanent.working_days_per_year - days_off) * hours / days_per_week(rules)

    taxable = gross - employee_pension  # net pay arrangement: before tax...
    tax = income_tax(taxable, rules)
    ni = employee_ni(gross, rules)  # ...but not before National Insurance
    take_home = gross - employee_pension - tax - ni
    reward = gross + employer_pension
    return PermanentPackage(
        salary=pay, supplement=extra, gross=gross, pensionable_pay=pensionable,
        employee_pension_percent=member_rate, employee_pension=employee_pension,
        employer_pension_percent=employer_percent, employer_pension=employer_pension,
        leave_days=days_off, statutory_leave_days=statutory, extra_days_off=extra_days,
        day_rate=pence(day_rate), extra_days_value=pence(day_rate * extra_days),
        learning_days=rules.permanent.learning_days,
        hours_per_week=hours, hours_worked=hours_worked,
        taxable_pay=taxable, income_tax=tax, employee_ni=ni,
        take_home_year=take_home, take_home_month=pence(take_home / MONTHS),
        total_reward=reward,
        pay_per_hour_worked=per_hour(gross, hours_worked),
        reward_per_hour_worked=per_hour(reward, hours_worked),
    )


# --- locum through an umbrella company ------------------------------------------------

@dataclass(frozen=True)
class LocumPackage:
    """A year of agency work paid through an umbrella company. Pounds a year."""

    hourly_rate: Decimal  # the assignment rate the agency pays the umbrella
    hours_per_week: Decimal
    weeks_worked: Decimal
    assignment_income: Decimal
    umbrella_margin: Decimal
    employer_ni: Decimal
    apprenticeship_levy: Decimal
    employer_pension: Decimal
    gross_pay: Decimal
    holiday_pay: Decimal  # the rolled-up holiday pay inside gross_pay, not on top of it
    employee_pension: Decimal
    taxable_pay: Decimal
    income_tax: Decimal
    employee_ni: Decimal
    take_home_year: Decimal
    take_home_month: Decimal
    hours_worked: Decimal  # hours_per_week x weeks_worked
    total_reward: Decimal  # gross + the employer pension the umbrella pays out of the rate
    pay_per_hour_worked: Decimal
    reward_per_hour_worked: Decimal
    not_included: tuple[str, ...]


def employment_cost(gross: Decimal, rules: PayRules) -> Decimal:
    """What paying this gross costs an employer: the pay, employer NI, the levy and
    the employer's minimum pension, unrounded."""
    return gross + _employer_ni(gross, rules) + _levy(gross, rules) + _employer_ae(gross, rules)


def gross_for_cost(available: Decimal, rules: PayRules) -> Decimal:
    """The gross pay whose employment cost is exactly `available`, unrounded.

    The cost rises in straight lines that bend only at the thresholds, so we find
    the stretch between two bends that holds the answer and solve its line exactly:
    no iteration. Gross never exceeds what is available, which closes the last stretch.
    """
    if available <= ZERO:
        return ZERO
    ae = rules.auto_enrolment
    bends = {ZERO, available, rules.employer_ni.secondary_threshold, ae.lower, ae.upper}
    points = sorted(b for b in bends if b <= available)
    for low, high in pairwise(points):
        cost_low, cost_high = employment_cost(low, rules), employment_cost(high, rules)
        if cost_high >= available:
            return low + (available - cost_low) * (high - low) / (cost_high - cost_low)
    return available  # not reached: the cost of `available` is at least `available`


def umbrella_package(hourly_rate: Number, rules: PayRules,
                     hours_per_week: Number | None = None,
                     weeks_worked: Number | None = None) -> LocumPackage:
    """Take-home pay for a locum paid an hourly assignment rate through an umbrella.

    The umbrella keeps its margin, then pays employer NI, the apprenticeship levy and
    the employer's minimum pension out of what is left, and the rest is gross pay.
    Gross is rounded down to the penny, so the costs never exceed the income; the
    penny or so this leaves is not shown.

    Holiday pay is rolled up: part of every hour's pay, not paid when holiday is
    taken. It is shown as the share of gross it is, not added to it.

    The locum's own pension is the automatic-enrolment minimum on qualifying
    earnings, modelled as a net pay arrangement, like the LGPS: taken before income
    tax, not before NI. (Under relief at source a basic-rate taxpayer ends up the
    same; a higher-rate one would claim the difference through Self Assessment.)

    Total reward is gross pay plus the employer's minimum pension: the umbrella pays
    that pension out of the rate, but it is the locum's, as the LGPS employer
    contribution is the permanent worker's.
    """
    umbrella = rules.umbrella
    rate = _d(hourly_rate)
    hours = umbrella.hours_per_week if hours_per_week is None else _d(hours_per_week)
    weeks = umbrella.weeks_worked_per_year if weeks_worked is None else _d(weeks_worked)
    income = pence(rate * hours * weeks)
    margin = pence(umbrella.margin_per_week * weeks)  # charged on each week worked

    gross = gross_for_cost(income - margin, rules).quantize(PENNY, rounding=ROUND_DOWN)
    holiday_share = umbrella.holiday_pay_percent / (HUNDRED + umbrella.holiday_pay_percent)
    employee_pension = pence(_percent_of(qualifying_earnings(gross, rules),
                                         rules.auto_enrolment.employee_percent))
    taxable = gross - employee_pension  # net pay arrangement: before tax...
    tax = income_tax(taxable, rules)
    ni = employee_ni(gross, rules)  # ...but not before National Insurance
    take_home = gross - employee_pension - tax - ni
    employer_pension = pence(_employer_ae(gross, rules))
    hours_worked = hours * weeks
    reward = gross + employer_pension
    return LocumPackage(
        hourly_rate=rate, hours_per_week=hours, weeks_worked=weeks,
        assignment_income=income, umbrella_margin=margin,
        employer_ni=employer_ni(gross, rules), apprenticeship_levy=apprenticeship_levy(gross, rules),
        employer_pension=employer_pension,
        gross_pay=gross, holiday_pay=pence(gross * holiday_share),
        employee_pension=employee_pension, taxable_pay=taxable, income_tax=tax, employee_ni=ni,
        take_home_year=take_home, take_home_month=pence(take_home / MONTHS),
        hours_worked=hours_worked, total_reward=reward,
        pay_per_hour_worked=per_hour(gross, hours_worked),
        reward_per_hour_worked=per_hour(reward, hours_worked),
        not_included=not_included(),
    )


# --- assumptions, in words -----------------------------------------------------------

@dataclass(frozen=True)
class Assumption:
    """One sentence a reader needs to trust the figures, built from the rules."""

    topic: str  # "tax", "permanent", "locum" or "rounding", for grouping on the page
    text: str


def _money(amount: Decimal) -> str:
    whole = amount == amount.to_integral_value()
    return f"£{amount:,.0f}" if whole else f"£{amount:,.2f}"


def _number(value: Decimal) -> str:
    """A Decimal as a person writes it: no trailing zeros after the point, no exponent."""
    return format(value.normalize(), "f")


def _percent(value: Decimal) -> str:
    return f"{_number(value)}%"


def _tax_sentence(rules: PayRules, nation: Nation) -> str:
    rule = rules.income_tax
    parts, floor = [], ZERO
    for band in rule.bands:
        values = {"rate": _percent(band.rate_percent), "band": band.name}
        if band.up_to is None:
            parts.append(_("%(rate)s (%(band)s) above that", **values))
        elif floor == ZERO:
            parts.append(_("%(rate)s (%(band)s) on the next %(amount)s", amount=_money(band.up_to), **values))
        else:
            parts.append(_("%(rate)s (%(band)s) up to %(amount)s of taxable income", amount=_money(band.up_to),
                           **values))
        floor = band.up_to or floor
    start = {"rates": nation.tax.rates, "year": rules.tax_year, "starts": long_date(rules.tax_year_starts),
             "allowance": _money(rule.personal_allowance), "bands": ", ".join(parts)}
    # Which rates: in Wales they are the Welsh rates of income tax, set by the Senedd.
    if rule.taper_rate_percent:
        return _("Income tax is worked out at %(rates)s in tax year %(year)s, starting %(starts)s: no tax on "
                 "the first %(allowance)s (the personal allowance), which shrinks by £1 for every £%(step)s "
                 "of income over %(threshold)s; then %(bands)s.", step=_number(HUNDRED / rule.taper_rate_percent),
                 threshold=_money(rule.taper_threshold), **start)
    return _("Income tax is worked out at %(rates)s in tax year %(year)s, starting %(starts)s: no tax on "
             "the first %(allowance)s (the personal allowance); then %(bands)s.", **start)


def assumptions(rules: PayRules, hours_per_week: Number | None = None,
                nation: Nation | None = None) -> list[Assumption]:
    """Every assumption behind the figures, in plain sentences, from the rules in force and
    the site's nation (whose income tax it is)."""
    ni, er, ae = rules.employee_ni, rules.employer_ni, rules.auto_enrolment
    umbrella, permanent = rules.umbrella, rules.permanent
    hours = umbrella.hours_per_week if hours_per_week is None else _d(hours_per_week)
    lowest, highest = rules.lgps_bands[0].rate_percent, rules.lgps_bands[-1].rate_percent
    return [
        Assumption("tax", _tax_sentence(rules, nation or default_nation())),
        Assumption("tax", _("Employee National Insurance is %(rate)s of pay between %(low)s and %(high)s a year, "
                            "and %(upper)s of pay above that.", rate=_percent(ni.main_rate_percent),
                            low=_money(ni.primary_threshold), high=_money(ni.upper_earnings_limit),
                            upper=_percent(ni.upper_rate_percent))),
        Assumption("tax", _("One job and no other income, the standard tax code, and no student loan, "
                            "benefits in kind or other deductions.")),
        Assumption("tax", _("Tax and National Insurance are worked out on the whole year's pay, as if paid "
                            "evenly; a payslip works them out each month, so it can differ by a few pence.")),
        Assumption("permanent", _("The permanent post is in the Local Government Pension Scheme. You pay "
                                  "%(lowest)s to %(highest)s of your pensionable pay, depending on how much you "
                                  "earn, taken before income tax but not before National Insurance.",
                                  lowest=_percent(lowest), highest=_percent(highest))),
        Assumption("permanent", _("Paid leave, bank holidays and %(learning)s days of protected learning time are "
                                  "paid within the salary: total reward never adds their value on top of it. The "
                                  "days off beyond a locum's statutory %(weeks)s weeks (%(days)s days) are shown "
                                  "on their own, valued at a day's salary: salary divided by %(working)s working "
                                  "days.", learning=permanent.learning_days,
                                  weeks=_number(umbrella.statutory_leave_weeks),
                                  days=_number(statutory_leave_days(rules)),
                                  working=permanent.working_days_per_year)),
        Assumption("permanent", _("Hours actually worked in the permanent post are the %(working)s working days "
                                  "less days off, at %(hours)s hours a day; learning days count as days worked.",
                                  working=permanent.working_days_per_year,
                                  hours=_number(hours / days_per_week(rules)))),
        Assumption("locum", _("The locum works %(hours)s hours a week for %(weeks)s weeks a year, with no gaps "
                              "between assignments, and is paid only for hours worked. The other %(leave)s weeks "
                              "are the statutory leave.", hours=_number(hours),
                              weeks=_number(umbrella.weeks_worked_per_year),
                              leave=_number(umbrella.statutory_leave_weeks))),
        Assumption("tax", _("Total reward is pay before deductions plus the employer's pension contribution, "
                            "on both sides: into the LGPS for the permanent post, and the legal minimum the "
                            "umbrella company pays out of the locum's rate.")),
        Assumption("locum", _("Holiday pay is rolled up: %(percent)s of pay for work done, included in the hourly "
                              "rate, and unpaid when the holiday is taken.",
                              percent=_percent(umbrella.holiday_pay_percent))),
        Assumption("locum", _("The umbrella company keeps %(margin)s a week worked, then pays employer National "
                              "Insurance (%(ni)s above %(threshold)s), the apprenticeship levy (%(levy)s) and the "
                              "minimum employer pension (%(pension)s) out of the assignment rate.",
                              margin=_money(umbrella.margin_per_week), ni=_percent(er.rate_percent),
                              threshold=_money(er.secondary_threshold),
                              levy=_percent(rules.apprenticeship_levy_percent),
                              pension=_percent(ae.employer_percent))),
        Assumption("locum", _("The locum pays the minimum workplace pension, %(percent)s of earnings between "
                              "%(low)s and %(high)s, taken before income tax but not before National Insurance.",
                              percent=_percent(ae.employee_percent), low=_money(ae.lower), high=_money(ae.upper))),
        Assumption("rounding", _("Every amount is rounded to the nearest penny; a month is a twelfth of the year.")),
    ]
