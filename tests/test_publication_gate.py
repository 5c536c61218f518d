"""The publication gate holds: one reading of a story, what is published is what was
checked, consent scope is enforced, and feeds are as clean as pages. Everything through
the real command line and a real Pelican build, searching every output file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from markdown import Markdown

from cswork_site.stories.meta import read_head

from .helpers import CONSENT_LINES, copy_site, cswork, leaks

LINE = re.compile(r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
STORY = "content/stories/2025-05-01-gate-test.md"


def _story(site: Path, head: str, body: str = "A plain paragraph about supervision.", name: str = STORY) -> Path:
    path = site / name
    path.write_text(head + CONSENT_LINES + "\n" + body + "\n", encoding="utf-8")
    return path


BASE = ("Title: Gate test story\nDate: 2025-05-01\nSummary: A summary.\nKind: news\n"
        "Tags: careers\nAuthor_role: Communications officer\n")


def _problems(result) -> list[dict[str, str]]:
    found = []
    for line in result.stderr.splitlines():
        m = LINE.match(line)
        if m:
            found.append(m.groupdict())
    return found


# --- one reading ----------------------------------------------------------------------

@pytest.mark.parametrize("key,first,second", [
    ("Title", "Gate test story", "Kieran Walsh, 9, from Elm Road"),
    ("Summary", "A summary.", "Kieran Walsh moved to Elm Road."),
    ("Tags", "careers", "Kieran Walsh"),
    ("Status", "published", "draft"),
    ("Date", "2025-05-01", "2025-06-01"),
    ("Author_role", "Communications officer", "Kieran Walsh's foster carer"),
    ("author-role", "Communications officer", "Ella-Mae Hughes"),
    ("Kind", "news", "practice story"),
])
@pytest.mark.slow
def test_a_key_written_twice_is_an_error_naming_both_lines(tmp_path, key, first, second):
    site = copy_site(tmp_path / "site")
    head = BASE.replace(f"{key.capitalize()}: ", f"{key}: ") if key != "author-role" else BASE
    lines = head.splitlines()
    index = next((i for i, line in enumerate(lines) if line.lower().replace("-", "_").startswith(
        key.lower().replace("-", "_") + ":")), None)
    if index is None:
        lines.append(f"{key}: {first}")
        index = len(lines) - 1
    else:
        lines[index] = f"{key}: {first}"
    lines.append(f"{key}: {second}")
    _story(site, "\n".join(lines) + "\n")
    check = cswork("check", str(site))
    assert check.returncode == 1, check.stderr
    mine = [p for p in _problems(check) if p["path"] == STORY and "written twice" in p["message"]]
    assert len(mine) == 1, check.stderr
    assert f"line {index + 1}" in mine[0]["message"] and f"line {len(lines)}" in mine[0]["message"]
    # The story is held back (published nowhere); the rest of the site is built.
    build = cswork("build", str(site))
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr
    assert "1 story held back" in build.stderr
    assert not leaks(site / "output", [second, "Gate test story"] if key not in ("Status", "Kind")
                     else ["Gate test story"])
    assert cswork("build", "--strict", str(site)).returncode == 2


@pytest.mark.slow
def test_an_indented_line_carrying_on_a_field_is_read_as_pelican_reads_it(tmp_path):
    site = copy_site(tmp_path / "site")
    # Markdown's metadata goes on over indented lines: the title's second line would be
    # published by Pelican, so it may not be there at all; a summary may go on.
    _story(site, BASE.replace("Summary: A summary.\n", "Summary: A summary that\n    goes on, naming Kieran Walsh.\n"))
    check = cswork("check", str(site))
    assert any(p["path"] == STORY and p["field"] == "summary" and "Kieran Walsh" in p["message"]
               for p in _problems(check)), check.stderr
    _story(site, BASE.replace("Title: Gate test story\n", "Title: Gate test story\n    Kieran Walsh\n"))
    check = cswork("check", str(site))
    assert any(p["path"] == STORY and p["line"] == "2" and p["field"] == "title" and "one line" in p["message"]
               for p in _problems(check)), check.stderr


@pytest.mark.slow
def test_text_straight_after_the_metadata_is_screened(tmp_path):
    """A line that is not metadata ends the metadata and starts the story (as Markdown
    reads it), even without a blank line: it is published, so it is screened."""
    site = copy_site(tmp_path / "site")
    path = site / STORY
    path.write_text(BASE + CONSENT_LINES + "Kieran Walsh is in the first line of the story.\n\nMore.\n")
    check = cswork("check", str(site))
    assert any(p["path"] == STORY and "watch list" in p["message"] for p in _problems(check)), check.stderr
    build = cswork("build", str(site))
    assert build.returncode == 0, build.stderr
    assert not leaks(site / "output", ["Kieran Walsh"])


@pytest.mark.parametrize("line", ["Author: Kieran Walsh", "Save_as: index.html", "Url: stories/",
                                  "Template: page", "Category: Kieran Walsh"])
@pytest.mark.slow
def test_lines_pelican_acts_on_are_refused(tmp_path, line):
    site = copy_site(tmp_path / "site")
    _story(site, BASE + line + "\n")
    check = cswork("check", str(site))
    assert check.returncode == 1
    key = line.split(":")[0].lower()
    assert any(p["path"] == STORY and p["field"] == key and "Pelican acts on" in p["message"]
               for p in _problems(check)), check.stderr
    build = cswork("build", str(site))
    assert build.returncode == 0 and "1 story held back" in build.stderr, build.stderr
    assert not leaks(site / "output", ["Gate test story"])


_KEY = st.sampled_from(["Title", "Summary", "Tags", "Kind", "Date", "Author_role", "Slug", "x-custom", "Note1"])
_VALUE = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), _KEY, _VALUE, st.booleans()), min_size=1, max_size=8),
       st.booleans(), st.sampled_from(["", "---", "..."]))
def test_metadata_is_read_exactly_as_markdown_reads_it(entries, fenced, end):
    """Generated headers (indents, continuation lines, fences, odd values): wherever no key
    is repeated, cswork reads the same keys and values Markdown's Meta extension gives
    Pelican; where one is, it says so."""
    lines = ["---"] if fenced else []
    for indent, key, value, more in entries:
        lines.append(" " * indent + f"{key}: {value}")
        if more:
            lines.append("    " + value)
    lines += [end, "Body text."]
    text = "\n".join(lines)
    md = Markdown(extensions=["meta"])
    md.convert(text)
    head, problems = read_head(text, "story.md")
    assert head is not None
    theirs = {k.lower().replace("-", "_"): v for k, v in md.Meta.items()}
    for key, values in theirs.items():
        if len(values) > 1:
            # Markdown holds two values for it: a key written twice, or a line carried on.
            assert any(p.field == key and ("written twice" in p.message or "one line" in p.message)
                       for p in problems) or key == "summary"
            continue
        assert not [p for p in problems if p.field == key]
        assert head.doc.value.get(key, "") == values[0].strip()
    # The same keys, on the lines Markdown read them from.
    assert set(head.doc.lines) - {()} == {(k,) for k in theirs}


# --- consent scope ----------------------------------------------------------------------

@pytest.mark.slow
def test_unknown_scope_word_is_an_error_with_a_suggestion(tmp_path):
    site = copy_site(tmp_path / "site")
    _story(site, BASE)
    path = site / STORY
    path.write_text(path.read_text().replace("Consent_scope: website", "Consent_scope: webiste, socail media"))
    testimonials = site / "data" / "testimonials.yaml"
    testimonials.write_text(testimonials.read_text().replace("        - website\n", "        - websight\n", 1))
    check = cswork("check", str(site))
    problems = _problems(check)
    assert any(p["path"] == STORY and p["field"].startswith("consent_scope")
               and "did you mean 'website'" in p["message"] for p in problems), check.stderr
    assert any(p["path"] == "data/testimonials.yaml" and p["field"].endswith("consent.scope[0]")
               and "did you mean 'website'" in p["message"] for p in problems), check.stderr


@pytest.mark.slow
def test_scope_without_the_website_holds_an_item_back_everywhere(tmp_path):
    site = copy_site(tmp_path / "site")
    _story(site, BASE.replace("Title: Gate test story", "Title: Printed only zqxprinted"))
    path = site / STORY
    path.write_text(path.read_text().replace("Consent_scope: website", "Consent_scope: print, video"))
    testimonials = site / "data" / "testimonials.yaml"
    text = testimonials.read_text()
    first_quote = re.search(r"quote: [>|]-?\n\s+(\S+ \S+ \S+ \S+)", text)
    assert first_quote
    text = text.replace("        - website\n", "        - print\n", 1)
    testimonials.write_text(text)
    check = cswork("check", str(site))
    warnings = [p for p in _problems(check) if "not the website" in p["message"]]
    assert {p["path"] for p in warnings} == {STORY, "data/testimonials.yaml"}, check.stderr
    assert all(p["message"].startswith("note:") for p in warnings)  # as agreed: nothing to fix
    build = cswork("build", "--production", str(site))
    assert build.returncode == 0, build.stderr
    found = leaks(site / "output", ["zqxprinted", first_quote.group(1)])
    assert not found, found


# --- feeds ------------------------------------------------------------------------------

@pytest.mark.slow
def test_feed_is_as_clean_as_the_page_and_names_the_service(tmp_path):
    site = copy_site(tmp_path / "site")
    _story(site, BASE.replace("Summary: A summary.",
                              'Summary: See <img src=x onerror=alert(1)> and [this](javascript:alert(2)) '
                              '<a href="javascript:alert(3)">too</a>.'),
           body='Body <img src=x onerror="alert(4)"> [link](javascript:alert(5)) <script>alert(6)</script>')
    build = cswork("build", "--production", str(site))
    assert build.returncode == 0, build.stderr
    feed = (site / "output" / "stories" / "feed.atom.xml").read_text()
    root = ET.fromstring(feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries
    ours = [e for e in entries if e.find("a:title", ns).text == "Gate test story"]
    assert len(ours) == 1
    for entry in entries:
        assert entry.find("a:author/a:name", ns).text == "Castlebrook Children's Services"
        for part in ("a:summary", "a:content"):
            element = entry.find(part, ns)
            if element is not None and element.text:
                html = element.text.lower()
                assert "onerror" not in html and "javascript:" not in html and "<script" not in html, html
    page = next((site / "output" / "stories").rglob("gate-test-story/index.html")).read_text().lower()
    assert "onerror" not in page and "javascript:" not in page
