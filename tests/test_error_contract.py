"""The error contract: every bad input gives `PATH:LINE: FIELD: MESSAGE` lines on stderr,
all problems in one run, exit 2, no traceback, and output/ untouched byte for byte.

Each case breaks one thing in a copy of the demo site and names the exact file, line
and field the report must point to. Lines are computed from the edited text, so the
table keeps working when the demo content changes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

LINE_FORMAT = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
SUMMARY = re.compile(r"^cswork: stopped: \d+ problems? to fix; nothing was written to the output folder\.$")


# --- edits that return the line the report must name -------------------------------

def _file(site: Path, rel: str) -> Path:
    return site / rel


def sub(rel: str, old: str, new: str) -> Callable[[Path], int]:
    """Replace the first `old` with `new`; the expected line is where `old` started."""
    def edit(site: Path) -> int:
        f = _file(site, rel)
        text = f.read_text(encoding="utf-8")
        at = text.find(old)
        assert at >= 0, f"{old!r} not found in {rel}: the demo data changed; update this case"
        f.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
        return text.count("\n", 0, at) + 1
    return edit


def sub_then(rel: str, old: str, new: str, offset: int) -> Callable[[Path], int]:
    edit = sub(rel, old, new)
    return lambda site: edit(site) + offset


def first_key_line(text: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            return n
    return 1


def remove_line(rel: str, old: str) -> Callable[[Path], int]:
    """Delete the line holding `old`. A missing field is reported where its mapping
    starts: the parent key's line, or the file's first key at the top level."""
    def edit(site: Path) -> int:
        f = _file(site, rel)
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if line.startswith(old))
        indent = len(lines[index]) - len(lines[index].lstrip())
        del lines[index]
        text = "".join(lines)
        f.write_text(text, encoding="utf-8")
        if indent == 0:
            return first_key_line(text)
        return next(i + 1 for i in range(index - 1, -1, -1)
                    if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) < indent)
    return edit


def insert_item(rel: str, list_key: str, item: str, offset: int) -> Callable[[Path], int]:
    """Insert `item` as the first entry of the top-level list `list_key`."""
    def edit(site: Path) -> int:
        f = _file(site, rel)
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        key = next(i for i, line in enumerate(lines) if line.rstrip() == f"{list_key}:")
        at = next(i for i in range(key + 1, len(lines))
                  if lines[i].strip() and not lines[i].lstrip().startswith("#"))
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        block = textwrap.indent(textwrap.dedent(item).strip("\n") + "\n", indent)
        lines[at:at] = [block]
        f.write_text("".join(lines), encoding="utf-8")
        return at + 1 + offset
    return edit


def write(rel: str, content: str | bytes, line: int = 1) -> Callable[[Path], int]:
    def edit(site: Path) -> int:
        f = _file(site, rel)
        f.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            f.write_bytes(content)
        else:
            f.write_text(content, encoding="utf-8")
        return line
    return edit


def delete(rel: str) -> Callable[[Path], int]:
    def edit(site: Path) -> int:
        _file(site, rel).unlink()
        return 1
    return edit


STAGE = """
- id: {id}
  title: Test stage {id}
  summary: A stage added by a test.
  entry_requirements:
    - Something
  support:
    - Something
  typical_duration: 1 year
  leads_to: {leads_to}
"""
STAGE_LEADS_TO = 8

ROLE = """
- id: {id}
  title: Test role
  group: {group}
  summary: A role added by a test.
  pay:
    grade: Grade 1
    min: {min}
    max: {max}
"""

TESTIMONIAL = """
- id: {id}
  quote: A quote added by a test.
  role: Social worker
  kind: {kind}
  consent:
    given_by: the worker
    date: {date}
    scope:
      - website
    expires: {expires}
    reference: CON-TEST-1
  approval:
    approver_role: Director
    date: 2025-01-01
"""


VACANCY = """
- id: test-job
  reference: T-1
  title: Test job
  role: {role}
  team: {team}
  location: town-hall
  posted: {posted}
  closes: {closes}
  summary: A job added by a test.
  description: Words about it.
  apply_url: https://www.castlebrook.example.org/jobs/apply/t-1/
"""


def vacancy(role="social-worker", team="assessment", posted="2026-10-01", closes="2026-12-01") -> str:
    return VACANCY.format(role=role, team=team, posted=posted, closes=closes)


def csv_jobs(content: str | bytes, line: int) -> Callable[[Path], int]:
    """Jobs from a CSV export instead of the YAML list."""
    def edit(site: Path) -> int:
        yaml_file = _file(site, V)
        text = yaml_file.read_text(encoding="utf-8")
        yaml_file.write_text(text[: text.index("\nvacancies:\n")] + "\nvacancies: []\n", encoding="utf-8")
        return write(VC, content, line)(site)
    return edit


CSV_OK_HEADER = "reference,title,role,team,location,posted,closes,summary,description,apply_url"
CSV_OK_ROW = "T-2,Test job,social-worker,assessment,town-hall,2026-10-01,2026-12-01,S,D,https://www.castlebrook.example.org/a/"


def story(meta: str, body: str = "Some words.") -> str:
    return textwrap.dedent(meta).strip("\n") + "\n\n" + body + "\n"


GOOD_STORY = """
Title: A test story
Date: 2025-05-01
Summary: A story written by a test.
Kind: news
"""


@dataclass(frozen=True)
class Case:
    id: str
    edit: Callable[[Path], int]
    path: str
    field: str
    message: str  # a fragment the message must contain


S, O, C, T, P = "data/service.yaml", "data/offer.yaml", "data/careers.yaml", "data/testimonials.yaml", "data/practice.yaml"
V, VC, E = "data/vacancies.yaml", "data/vacancies.csv", "data/events.yaml"
STORY = "content/stories/2025-05-01-test.md"

CASES = [
    # YAML itself
    Case("yaml-syntax", sub(S, "short_name: Castlebrook", "short_name: Castle: brook"), S, "(file)", "is not valid YAML"),
    Case("yaml-unclosed-list", write(P, "name: [The Bridge\nsummary: text\n", 2), P, "(file)", "while parsing a flow sequence, which started on line 1"),
    Case("yaml-tab-indent", sub(O, "  annual_leave:", "\tannual_leave:"), O, "(file)", "is not valid YAML"),
    Case("duplicate-key", sub_then(S, "region: South East\n", "region: South East\nregion: North\n", 1), S, "region", "duplicate key 'region'"),
    Case("empty-file", write(C, ""), C, "(file)", "file is empty"),
    Case("binary-file", write(T, b"\x00\x01\x02binary"), T, "(file)", "binary file"),
    Case("not-utf8", write(P, b"name: Caf\xe9\n"), P, "(file)", "not UTF-8"),
    Case("missing-file", delete(P), P, "(file)", "file is missing"),
    Case("list-not-mapping", write(S, "- one\n- two\n"), S, "(file)", "expected a mapping"),
    # Missing and wrong values
    Case("missing-required", remove_line(S, "region:"), S, "region", "is required but missing"),
    Case("missing-nested", remove_line(S, "  team: Social work recruitment team"), S, "contact.team", "is required but missing"),
    Case("wrong-type-int", sub(O, "starting_days: 28", "starting_days: twenty-eight"), O, "benefits.annual_leave.starting_days", "found 'twenty-eight'"),
    Case("out-of-range", sub(O, "starting_days: 28", "starting_days: 5"), O, "benefits.annual_leave.starting_days", "greater than or equal to 20"),
    Case("wrong-type-float", sub(O, "employer_contribution_percent: 18.5", "employer_contribution_percent: lots"), O, "benefits.pension.employer_contribution_percent", "expected a valid number"),
    Case("list-expected", sub_then(O, "  wellbeing:\n", "  wellbeing: just one thing\n  unused:\n", 0), O, "benefits.wellbeing", "valid list"),
    Case("bad-url", sub(S, "website: https://www.castlebrook.example.org/", "website: castlebrook dot org"), S, "website", "URL"),
    Case("bad-email", sub(S, "email: socialworkjobs@castlebrook.example.org", "email: socialworkjobs"), S, "contact.email", "email"),
    Case("bad-enum", sub(S, "kind: restorative", "kind: vibes"), S, "practice_model.kind", "expected 'systemic'"),
    Case("bad-judgement", sub(S, "judgement: inadequate", "judgement: terrible"), S, "inspections[0].judgement", "expected 'outstanding'"),
    Case("bad-date", sub(S, "date: 2018-06-15", "date: 2018-13-45"), S, "inspections[0].date", "valid date"),
    Case("bad-date-words", sub(S, "date: 2018-06-15", "date: last summer"), S, "inspections[0].date", "found 'last summer'"),
    # Colours and contrast
    Case("colour-not-colour", sub(S, 'primary: "#0b4f5c"', "primary: teal"), S, "brand.primary", "expected a colour"),
    Case("colour-short-hex-bad", sub(S, 'accent: "#f2b705"', 'accent: "#f2b70"'), S, "brand.accent", "expected a colour"),
    Case("contrast-primary", sub_then(S, 'primary: "#0b4f5c"', 'primary: "#7fb3c4"', 1), S, "brand.primary_text", "contrast of at least 4.5:1"),
    Case("contrast-link", sub(S, 'link: "#1d4f91"', 'link: "#9ab8e0"'), S, "brand.link", "found 2."),
    # Files
    Case("logo-missing", sub(S, "path: content/images/logo.svg", "path: content/images/no-such-logo.svg"), S, "logo.path", "there is no such file"),
    Case("logo-outside-site", sub(S, "path: content/images/logo.svg", "path: ../../../etc/hostname"), S, "logo.path", "outside"),
    # Offer
    Case("id-not-slug", sub(O, "id: asye-social-worker", "id: ASYE Social Worker"), O, "roles[0].id", "lower-case letters and digits joined by hyphens, like senior-practitioner; found 'ASYE Social Worker'"),
    Case("duplicate-role-id", insert_item(O, "roles", ROLE.format(id="asye-social-worker", group="social work", min=1000, max=2000), 8), O, "roles[1].id", "duplicate id 'asye-social-worker'; roles[0] already uses it"),
    Case("pay-max-below-min", insert_item(O, "roles", ROLE.format(id="test-role", group="social work", min=40000, max=30000), 7), O, "roles[0].pay.max", "expected max to be at least min (40000); found 30000"),
    Case("pay-not-number", insert_item(O, "roles", ROLE.format(id="test-role", group="social work", min="lots", max=30000), 6), O, "roles[0].pay.min", "found 'lots'"),
    Case("role-bad-group", insert_item(O, "roles", ROLE.format(id="test-role", group="wizards", min=1, max=2), 2), O, "roles[0].group", "expected 'social work'"),
    Case("role-unknown-stage", insert_item(O, "roles", ROLE.format(id="test-role", group="social work", min=1, max=2) + "  pathway_stage: wizardry\n", 8), O, "roles[0].pathway_stage", "found 'wizardry', which does not exist"),
    Case("role-pay-point-outside", insert_item(O, "roles", ROLE.format(id="test-role", group="social work", min=1000, max=2000) + "    points:\n      - point: 3\n        salary: 5000\n", 8), O, "roles[0].pay.points", "found point 3 at 5000"),
    Case("roles-empty", sub_then(O, "\nroles:\n", "\nroles: []\nold_roles:\n", 1), O, "roles", "at least 1 item"),
    # Careers
    Case("stage-unknown-target", insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[nowhere]"), STAGE_LEADS_TO), C, "stages[0].leads_to[0]", "found 'nowhere', which does not exist"),
    Case("stage-leads-to-itself", insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[test-a]"), STAGE_LEADS_TO), C, "stages[0].leads_to[0]", "cannot lead to itself"),
    Case("stage-cycle", insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[test-b]") + STAGE.format(id="test-b", leads_to="[test-a]"), 10 + STAGE_LEADS_TO), C, "stages[1].leads_to[0]", "goes round in a circle (test-a -> test-b -> test-a)"),
    Case("stage-duplicate-id", insert_item(C, "stages", STAGE.format(id="asye", leads_to="[]"), 9), C, "stages[1].id", "duplicate id 'asye'"),
    Case("stage-unknown-role", insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[]") + "  role: wizard\n", 9), C, "stages[0].role", "found 'wizard', which does not exist"),
    Case("stage-missing-support", insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[]").replace("  support:\n    - Something\n", ""), 0), C, "stages[0].support", "is required but missing"),
    Case("route-unknown-stage", insert_item(C, "entry_routes", "- id: test-route\n  title: T\n  summary: S\n  who_for: W\n  duration: D\n  leads_to: nowhere\n", 5), C, "entry_routes[0].leads_to", "found 'nowhere'"),
    # Testimonials
    Case("testimonial-bad-kind", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="celebrity", date="2025-01-01", expires="2027-01-01"), 3), T, "testimonials[0].kind", "expected 'staff'"),
    Case("consent-expires-before-given", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="staff", date="2025-01-01", expires="2024-01-01"), 9), T, "testimonials[0].consent.expires", "expected a date after consent was given"),
    Case("consent-bad-date", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="staff", date="31/01/2025", expires="2027-01-01"), 6), T, "testimonials[0].consent.date", "valid date"),
    Case("testimonial-unknown-role", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="staff", date="2025-01-01", expires="2027-01-01") + "  related_role: wizard\n", 14), T, "testimonials[0].related_role", "found 'wizard'"),
    Case("approval-bad-date", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="staff", date="2025-01-01", expires="2027-01-01").replace("Director\n    date: 2025-01-01", "Director\n    date: someday"), 13), T, "testimonials[0].approval.date", "found 'someday'"),
    Case("testimonial-photo-no-alt", insert_item(T, "testimonials", TESTIMONIAL.format(id="t-test", kind="staff", date="2025-01-01", expires="2027-01-01") + "  photo:\n    path: content/images/logo.svg\n", 14), T, "testimonials[0].photo.alt", "describe the picture"),
    Case("testimonial-duplicate-id", insert_item(T, "testimonials", TESTIMONIAL.format(id="priya-asye", kind="staff", date="2025-01-01", expires="2027-01-01"), 14), T, "testimonials[1].id", "duplicate id 'priya-asye'; testimonials[0] already uses it"),
    # Practice
    Case("behaviour-unknown-value", sub_then(P, "\nbehaviours:\n", "\nbehaviours:\n  - name: Test\n    description: D\n    value: Bravado\n", 4), P, "behaviours[0].value", "found 'Bravado'"),
    Case("layers-empty", sub_then(P, "\nlayers:\n", "\nlayers: []\nold_layers:\n", 1), P, "layers", "at least 1 item"),
    # Jobs
    Case("job-closes-before-posting", insert_item(V, "vacancies", vacancy(posted="2026-10-01", closes="2026-09-01"), 7), V, "vacancies[0].closes", "expected a closing date on or after the posting date (2026-10-01); found 2026-09-01"),
    Case("job-salary-min-above-max", insert_item(V, "vacancies", vacancy() + "  salary:\n    min: 40000\n    max: 30000\n", 13), V, "vacancies[0].salary.max", "expected max to be at least min (40000); found 30000"),
    Case("job-missing-title", insert_item(V, "vacancies", vacancy().replace("  title: Test job\n", ""), 0), V, "vacancies[0].title", "is required but missing"),
    Case("job-missing-closing-date", insert_item(V, "vacancies", vacancy().replace("  closes: 2026-12-01\n", ""), 0), V, "vacancies[0].closes", "is required but missing"),
    Case("job-unknown-role", insert_item(V, "vacancies", vacancy(role="wizard"), 3), V, "vacancies[0].role", "found 'wizard', which does not exist"),
    Case("job-unknown-team", insert_item(V, "vacancies", vacancy(team="quidditch"), 4), V, "vacancies[0].team", "found 'quidditch', which does not exist"),
    Case("job-bad-employment-type", insert_item(V, "vacancies", vacancy() + "  employment_type: SOMETIMES\n", 11), V, "vacancies[0].employment_type", "expected 'FULL_TIME'"),
    Case("job-duplicate-team", sub_then(V, "  - id: child-protection\n", "  - id: assessment\n", 0), V, "teams[1].id", "duplicate id 'assessment'; teams[0] already uses it"),
    Case("calculator-range-backwards", sub_then("data/agency.yaml", "  locum_rates: [35, 40, 45]\n", "  locum_rates: [35, 40, 45]\n  calculator_min_rate: 60\n  calculator_max_rate: 30\n", 2), "data/agency.yaml", "comparison.calculator_max_rate", "expected calculator_max_rate to be at least calculator_min_rate (60); found 30"),
    Case("locum-rate-not-positive", sub("data/agency.yaml", "  locum_rates: [35, 40, 45]", "  locum_rates: [35, 0, 45]"), "data/agency.yaml", "comparison.locum_rates[1]", "greater than 0"),
    Case("csv-missing-column", csv_jobs(CSV_OK_HEADER.replace(",closes", "") + "\n", 1), VC, "closes", "is a required column but missing"),
    Case("csv-unknown-column", csv_jobs(CSV_OK_HEADER.replace("closes", "closing") + "\n", 1), VC, "closing", "unknown column; did you mean 'closes'?"),
    Case("csv-bad-encoding", csv_jobs((CSV_OK_HEADER + "\n" + CSV_OK_ROW.replace("Test job", "Caf\xe9")).encode("latin-1"), 2), VC, "(file)", "is not UTF-8"),
    Case("csv-bad-date", csv_jobs(CSV_OK_HEADER + "\n" + CSV_OK_ROW + "\n" + CSV_OK_ROW.replace("T-2,", "T-3,").replace("2026-12-01", "soon") + "\n", 3), VC, "closes", "found 'soon'"),
    Case("csv-unknown-team", csv_jobs(CSV_OK_HEADER + "\n" + CSV_OK_ROW.replace("assessment", "quidditch") + "\n", 2), VC, "team", "found 'quidditch'"),
    # Events
    Case("event-ends-before-start", sub_then(E, "    ends: 2026-12-03 19:30", "    ends: 2026-12-03 17:30", 0), E, "events[0].ends", "expected an end after the start (2026-12-03 18:00); found 2026-12-03 17:30"),
    Case("event-bad-kind", sub(E, "    kind: agency to permanent", "    kind: party"), E, "events[0].kind", "expected 'agency to permanent'"),
    Case("event-in-person-without-place", remove_line(E, "    place: Town Hall, Market Square, Castlebrook"), E, "events[0].place", "is required for an event in person"),
    Case("event-bad-time", sub(E, "    starts: 2026-12-03 18:00", "    starts: teatime"), E, "events[0].starts", "found 'teatime'"),
    # Pay rules and the agency page
    Case("pay-rules-without-tax-year", remove_line("data/pay-rules.yaml", "tax_year:"), "data/pay-rules.yaml", "tax_year", "is required but missing"),
    Case("pay-rules-bad-tax-year", sub("data/pay-rules.yaml", "tax_year: \"2026-27\"", "tax_year: \"2026-28\""), "data/pay-rules.yaml", "tax_year", "2026-28"),
    Case("agency-unknown-pay-point", sub("data/agency.yaml", "  pay_point: 32", "  pay_point: 99"), "data/agency.yaml", "comparison.pay_point", "expected one of social-worker's pay points (29, 30, 31, 32, 33); found 99"),
    # Workforce figures
    Case("measure-names-no-figure", sub("data/strategy.yaml", "      - metric: vacancy_rate", "      - metric: vacancy-rate"), "data/strategy.yaml", "strands[0].measures[0].metric", "names no figure: 'vacancy-rate'; did you mean 'vacancy_rate'?"),
    Case("snapshot-in-the-future", write("data/metrics/2027-03-31.yaml", "as_at: 2027-03-31\nsource: A dashboard\nvacancy_rate:\n  value: 10\n  unit: percent\n", 1), "data/metrics/2027-03-31.yaml", "as_at", "figures cannot describe a day that has not happened"),
    # Stories
    Case("story-bad-date", write(STORY, story(GOOD_STORY.replace("Date: 2025-05-01", "Date: 01/05/2025")), 2), STORY, "date", "expected a date written as YYYY-MM-DD"),
    Case("story-missing-title", write(STORY, story(GOOD_STORY.replace("Title: A test story\n", ""))), STORY, "title", "is required but missing"),
    Case("story-bad-kind", write(STORY, story(GOOD_STORY.replace("Kind: news", "Kind: gossip")), 4), STORY, "kind", "expected 'practice story'"),
    Case("story-no-metadata", write(STORY, "Just some text with no metadata.\n"), STORY, "title", "expected the story to start with metadata"),
    Case("story-unknown-stage", write(STORY, story(GOOD_STORY + "Related_stage: wizardry\n"), 5), STORY, "related_stage", "found 'wizardry'"),
    Case("story-unknown-value", write(STORY, story(GOOD_STORY + "Related_value: Bravado\n"), 5), STORY, "related_value", "found 'Bravado', which does not exist"),
    Case("story-same-address", write(STORY, story(GOOD_STORY.replace("A test story", "Twin") + "Slug: twin\n"), 1), "content/stories/2025-06-01-twin.md", "title", "gives the web address stories/2025/twin/, which content/stories/2025-05-01-test.md already uses"),
    Case("story-binary", write(STORY, b"Title: x\x00\xff"), STORY, "(file)", "not UTF-8"),
]


@pytest.fixture(scope="module")
def previous_output(built_demo) -> Path:
    return built_demo[1]


def _prepare(case_site: Path, previous_output: Path) -> dict[str, str]:
    shutil.copytree(previous_output, case_site / "output")
    return tree_digest(case_site / "output")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_exactly(case: Case, site: Path, previous_output: Path):
    if case.id == "story-same-address":
        (site / "content" / "stories" / "2025-06-01-twin.md").write_text(
            story(GOOD_STORY.replace("A test story", "Twin").replace("2025-05-01", "2025-06-01")), encoding="utf-8")
    before = _prepare(site, previous_output)
    line = case.edit(site)
    # A problem in a story holds back that story and the rest of the site is built; with
    # --strict it stops the build like any other, which is what the exact report is read from.
    held_back = case.path.startswith("content/")
    if held_back:
        lenient = cswork("build", str(site))
        assert lenient.returncode == 0, lenient.stderr
        assert f"{case.path}:{line}: {case.field}: " in lenient.stderr
        assert re.search(r"^cswork: 1 story held back", lenient.stderr, re.M), lenient.stderr
        subprocess.run(["rm", "-rf", str(site / "output")], check=True)
        before = _prepare(site, previous_output)
    result = cswork("build", "--strict", str(site)) if held_back else cswork("build", str(site))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]), lines[-1:]
    for reported in lines[:-1]:
        assert LINE_FORMAT.match(reported), f"not in PATH:LINE: FIELD: MESSAGE form: {reported!r}"
    expected = f"{case.path}:{line}: {case.field}: "
    matching = [r for r in lines if r.startswith(expected)]
    assert matching, f"expected a line starting {expected!r}; got:\n" + "\n".join(lines)
    assert any(case.message in r for r in matching), f"expected {case.message!r} in:\n" + "\n".join(matching)
    assert tree_digest(site / "output") == before, "output/ must be left exactly as it was"
    assert not list(site.glob(".output.building-*"))


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


def test_all_problems_in_one_run(site: Path, previous_output: Path):
    before = _prepare(site, previous_output)
    expected = [
        sub(S, 'primary: "#0b4f5c"', "primary: teal")(site),
        sub(O, "starting_days: 28", "starting_days: 5")(site),
        insert_item(C, "stages", STAGE.format(id="test-a", leads_to="[nowhere]"), STAGE_LEADS_TO)(site),
        write(STORY, story(GOOD_STORY.replace("Date: 2025-05-01", "Date: soon")), 2)(site),
    ]
    result = cswork("build", str(site))
    assert result.returncode == 2
    for where in (f"{S}:{expected[0]}: brand.primary:", f"{O}:{expected[1]}: benefits.annual_leave.starting_days:",
                  f"{C}:{expected[2]}: stages[0].leads_to[0]:", f"{STORY}:2: date:"):
        assert where in result.stderr, f"{where} missing from:\n{result.stderr}"
    assert tree_digest(site / "output") == before


def test_unknown_key_is_a_warning_with_a_suggestion(site: Path):
    line = sub(S, "tagline:", "tagline_: x\ntagline:")(site)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    assert f"{S}:{line}: tagline_: warning: unknown key 'tagline_'; did you mean 'tagline'?" in result.stderr
    check = cswork("check", str(site))
    assert check.returncode == 1 and "did you mean 'tagline'?" in check.stderr
    nested = sub(O, "    starting_days: 28", "    startin_days: 28")(site)
    result = cswork("check", str(site))
    assert f"{O}:{nested}: benefits.annual_leave.startin_days: warning: unknown key" in result.stderr
    assert f"{O}:{nested - 1}: benefits.annual_leave.starting_days: is required but missing" in result.stderr
