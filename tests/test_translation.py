"""The interface is translated, not hard-coded (issue 19, point 3): every message of the
theme and of the pages' Python is in the Welsh catalogue, with the same placeholders;
no template has literal text left outside gettext; dates, money and numbers are written
for the current language; Welsh plurals pick the right one of six forms; and the demo
still builds in English."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from jinja2 import nodes

from cswork_site import catalogue as source
from cswork_site.languages import speaking
from cswork_site.pages.filters import FILTERS, long_date, money, month_year, number
from cswork_site.settings import JINJA_ENVIRONMENT
from cswork_site.translation import LOCALE, install, ngettext, translations

from .helpers import cswork, html_pages

WELSH = LOCALE / "cy" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Welsh month names, written out here rather than taken from Babel.
MISOEDD = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
           "Hydref", "Tachwedd", "Rhagfyr"]
# Welsh's six plural forms (the catalogue's Plural-Forms), worked out here: which msgstr each n takes.
WELSH_FORM = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4, 7: 5, 4: 5, 11: 5, 100: 5}


def _welsh() -> dict[str, tuple[bool, tuple[str, ...]]]:
    """Every Welsh catalogue's entries: msgid -> (fuzzy, its translations)."""
    entries: dict[str, tuple[bool, tuple[str, ...]]] = {}
    for path in sorted(WELSH.glob("*.po")):
        with path.open("rb") as po:
            for m in read_po(po, locale="cy"):
                if m.id:
                    key = m.id if isinstance(m.id, str) else m.id[0]
                    strings = m.string if isinstance(m.string, tuple) else (m.string,)
                    entries[key] = (m.fuzzy, tuple(strings))
    return entries


def _problems(messages: list[source.Message], entries) -> list[str]:
    """What is wrong with the translation of each message: missing, fuzzy, empty, too
    few plural forms, or other placeholders than the English."""
    problems = []
    for m in messages:
        ids = (m.msgid,) if isinstance(m.msgid, str) else tuple(m.msgid)
        where = f"{m.where[0]}:{m.where[1]}: {ids[0]!r}"
        if ids[0] not in entries:
            problems.append(f"{where}: not in the Welsh catalogue")
            continue
        fuzzy, strings = entries[ids[0]]
        wanted = {name for i in ids for name in PLACEHOLDER.findall(i)}
        if fuzzy:
            problems.append(f"{where}: fuzzy")
        if len(ids) == 2 and len(strings) != 6:
            problems.append(f"{where}: {len(strings)} plural forms, not Welsh's 6")
        for s in strings:
            given_names = set(PLACEHOLDER.findall(s))
            # A plural form may say its number in words instead ("dim straeon", none; "un
            # swydd", one job): it can leave out the count, never another value.
            if len(ids) == 2 and given_names <= wanted and wanted - given_names <= {"num"}:
                given_names = wanted
            if not s.strip():
                problems.append(f"{where}: no translation")
            elif given_names != wanted:
                given = sorted(PLACEHOLDER.findall(s))
                problems.append(f"{where}: placeholders {given} in {s!r}, not {sorted(wanted)}")
    return problems


def test_every_message_has_a_complete_welsh_translation():
    messages = source.all_messages()
    assert len(messages) > 300  # the theme and the pages, not an empty extraction
    assert {m.where[0].split("/")[0] for m in messages} >= {"theme", "pages"}
    assert _problems(messages, _welsh()) == []


def test_a_new_template_message_without_translation_is_caught(tmp_path):
    (tmp_path / "new.html").write_text(
        '<p>{{ _("A sentence nobody has translated") }}</p>\n'
        '<p>{% trans n=3 %}{{ n }} new things{% endtrans %}</p>\n<p>{{ _("Page not found") }}</p>\n')
    found = source.templates_messages(tmp_path)
    assert [m.msgid for m in found] == ["A sentence nobody has translated", "%(n)s new things", "Page not found"]
    problems = _problems(found, _welsh())
    assert len(problems) == 2
    assert "new.html:1: 'A sentence nobody has translated': not in the Welsh catalogue" in problems[0]
    assert "%(n)s new things" in problems[1]
    # A translation that drops a placeholder is caught too.
    broken = {**_welsh(), "%(n)s new things": (False, ("pethau newydd",))}
    assert "placeholders [] in 'pethau newydd'" in _problems(found, broken)[1]


def test_the_update_adds_new_messages_and_keeps_translations(tmp_path):
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "cswork.po").write_bytes((WELSH / "cswork.po").read_bytes())
    (folder / "messages.po").write_text('msgid "Held by the check"\nmsgstr "Gan y gwiriad"\n', encoding="utf-8")
    found = [m for m in source.all_messages() if m.msgid != "Open jobs"]  # gone from the source
    new = [source.Message("A brand new message", ("theme/templates/new.html", 1)),
           source.Message(("%(num)d new thing", "%(num)d new things"), ("pages/new.py", 2)),
           source.Message("Held by the check", ("pages/new.py", 3))]
    source.update("cy", found + new, locale=tmp_path)
    with (folder / "cswork.po").open("rb") as po:
        updated = {m.id: m for m in read_po(po, locale="cy") if m.id}
    assert updated["A brand new message"].string == ""
    assert updated[("%(num)d new thing", "%(num)d new things")].string == ("",) * 6
    assert "Held by the check" not in updated and "Open jobs" not in updated
    assert updated["Page not found"].string == _welsh()["Page not found"][1][0] != ""
    text = (folder / "cswork.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "nplurals=6;" in text


def test_the_catalogue_has_welshs_six_plural_forms():
    text = (WELSH / "cswork.po").read_text(encoding="utf-8")
    header = "".join(re.findall(r'^"(.*)"$', text.split("\n\n")[0], flags=re.M))
    assert ("Plural-Forms: nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"
            in header)


# Literal text a template may keep, each with its reason.
ALLOWED_TEMPLATES = {
    "welsh_welcome.html": "the Welsh Language Standards' welcome, in both languages on every page by design",
    "brand.css.html": "a stylesheet, not a page",
}
# Literal words a template may keep, each with its reason.
ALLOWED_WORDS = {
    "article": "a story page's og:type, Open Graph's own word, not text",
    'label="English"': "a story video's caption track is in English, and a language is named in its own language",
}
CHECKED_ATTRIBUTES = ("alt", "aria-label", "title", "placeholder", "label")
SHOWN_META = re.compile(r'(name="description"|property="og:(title|description|image:alt|site_name)")')


def _template_text(env: jinja2.Environment, path: Path) -> str:
    """The template's literal text, with each thing Jinja puts in (a value, a message)
    standing as one mark."""
    tree = env.parse(path.read_text(encoding="utf-8"))
    parts = []
    for node in tree.find_all((nodes.TemplateData, nodes.Output)):
        if isinstance(node, nodes.TemplateData):
            parts.append(node.data)
        elif not all(isinstance(n, nodes.TemplateData) for n in node.nodes):
            parts.append("\x00")
    return "".join(parts)


def _literal_words(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    found = []
    for tag in re.findall(r"<[^>]*>", html):
        for name, value in re.findall(r'\s([\w:-]+)="([^"]*)"', tag):
            shown = name in CHECKED_ATTRIBUTES or (name == "content" and SHOWN_META.search(tag))
            if shown and re.search(r"[^\W\d_]", value):
                found.append(f'{name}="{value}"')
    text = re.sub(r"<[^>]*>", " ", html)
    text = re.sub(r"&#?\w+;", " ", text)
    found += [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    return found


def _environment() -> jinja2.Environment:
    return jinja2.Environment(**{k: v for k, v in JINJA_ENVIRONMENT.items() if k != "autoescape"})


def test_no_template_has_text_outside_gettext():
    env = _environment()
    left = {}
    for path in sorted(source.TEMPLATES.glob("*.html")):
        if path.name not in ALLOWED_TEMPLATES:
            words = [w for w in _literal_words(_template_text(env, path)) if w not in ALLOWED_WORDS]
            if words:
                left[path.name] = words
    assert left == {}
    assert all(reason for reason in [*ALLOWED_TEMPLATES.values(), *ALLOWED_WORDS.values()])


def test_the_literal_text_check_sees_text_and_attributes():
    env = _environment()
    sample = ('<p class="lead">Hello {{ name }}</p><img src="x.png" alt="A photo">'
              '<meta name="description" content="Our jobs"><meta name="viewport" content="width=device-width">'
              '<script>var a = "not text";</script><!-- a note --><p>{{ _("Fine") }} (&nbsp;·&nbsp;)</p>'
              '<p>{% trans %}Also fine{% endtrans %}</p>')
    tree_text = "".join(n.data if isinstance(n, nodes.TemplateData) else "\x00"
                        for n in env.parse(sample).find_all((nodes.TemplateData, nodes.Output))
                        if isinstance(n, nodes.TemplateData) or not all(isinstance(c, nodes.TemplateData)
                                                                        for c in n.nodes))
    assert _literal_words(tree_text) == ['alt="A photo"', 'content="Our jobs"', "Hello"]


def test_no_data_name_has_its_case_changed_in_the_theme():
    """A name from the data (a team, a role, an author's job) is shown as written: a filter
    that changes case would turn "ASYE" into "asye" or a Welsh name into a wrong one."""
    changed = {p.name: re.findall(r"\|\s*(?:lower|upper|capitalize|title)\b", p.read_text(encoding="utf-8"))
               for p in source.TEMPLATES.glob("*.html")}
    assert {name: hits for name, hits in changed.items() if hits} == {}


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_in_welsh_and_english(month):
    day = dt.date(2026, month, 3)
    with speaking("cy"):
        assert long_date(day) == f"3 {MISOEDD[month - 1]} 2026"
        assert month_year(day) == f"{MISOEDD[month - 1]} 2026"
    assert long_date(day) == f"3 {day:%B} 2026"
    assert long_date(dt.datetime(2026, month, 3, 15, 30)) == f"3 {day:%B} 2026"


def test_money_and_numbers_keep_their_form_in_welsh():
    for code in ("en", "cy"):
        with speaking(code):
            assert money(12345) == "£12,345"
            assert money(42500.0) == "£42,500"
            assert money(0) == "£0"
            assert money(None) == ""
            assert number(Decimal("1234.50"), 2) == "1,234.5"
            assert number(12.0) == "12"
            assert number(Decimal("9.10"), 1, "%") == "9.1%"
            assert number(-0.01, 1) == "0"


def test_welsh_plurals_take_the_right_form():
    with (WELSH / "cswork.po").open("rb") as po:
        entry = next(m for m in read_po(po, locale="cy") if m.id == ("%(num)d job open now", "%(num)d jobs open now"))
    for n, form in WELSH_FORM.items():
        with speaking("cy"):
            assert ngettext("%(num)d job open now", "%(num)d jobs open now", n) == entry.string[form] % {"num": n}
    assert ngettext("%(num)d job open now", "%(num)d jobs open now", 1) == "1 job open now"
    assert ngettext("%(num)d job open now", "%(num)d jobs open now", 2) == "2 jobs open now"


def _theme() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(source.TEMPLATES), **JINJA_ENVIRONMENT)
    env.filters.update(FILTERS)
    install(env)
    return env


def test_a_real_template_renders_in_the_language_being_written():
    welsh = translations("cy")
    template = _theme().get_template("open_jobs.html")
    context = {"role_jobs": [], "role": None, "site": SimpleNamespace(vacancies=None), "SITEURL": ""}
    english = BeautifulSoup(template.render(context), "html.parser")
    assert english.h2.get_text() == "Open jobs"
    with speaking("cy"):
        soup = BeautifulSoup(template.render(context), "html.parser")
    assert soup.h2.get_text() == welsh.gettext("Open jobs") != "Open jobs"
    sentence = welsh.gettext('<a href="%(jobs)s">See all open jobs</a>.') % {"jobs": "/jobs/"}
    expected = BeautifulSoup(sentence, "html.parser").a.get_text()
    link = soup.find("a")
    assert link["href"] == "/jobs/" and link.get_text() == expected != "See all open jobs"


def test_values_are_escaped_inside_translated_text():
    env = _theme()
    page = env.from_string('{{ _("Our offer: %(role)s", role=name) }} '
                           '{% trans who=name %}Contact the {{ who }}{% endtrans %}')
    for code in ("en", "cy"):
        with speaking(code):
            out = page.render(name="<b>Team</b>")
        assert "<b>" not in out and "&lt;b&gt;Team&lt;/b&gt;" in out
    with speaking("cy"):
        assert page.render(name="X").startswith(translations("cy").gettext("Our offer: %(role)s") % {"role": "X"})


def test_the_demo_still_builds_in_english(site):
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    for page in html_pages(output):
        text = page.read_text(encoding="utf-8")
        assert "%(" not in text and "&amp;#" not in text, page
    home = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"] == "en-GB"
    assert home.h1.get_text().startswith("Social work careers at ")
    assert home.find("a", class_="skip-link").get_text() == "Skip to main content"
