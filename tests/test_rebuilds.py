"""A rebuild is right for any theme, and beside any plugin: after a change, it gives byte
for byte what a build from nothing gives, however a theme uses the stories (the latest on
every story page, reading time on list cards, a data value everywhere); every page in the
output is announced to plugins, reused or not; and a plugin that changes pages after
they are written never changes the last build through a shared file."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from .helpers import CONSENT_LINES, copy_site, cswork, own_theme, tree_digest
from .test_incremental import _add_stories, _build, _cold, _same, _story

pytestmark = pytest.mark.slow

COUNT = 24


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _latest_on_story_pages(site: Path) -> None:
    own_theme(site)
    _edit(site / "theme" / "templates" / "article.html", "{% block content %}",
          "{% block content %}<aside class=\"latest\"><h2>Latest</h2><ul>{% for a in articles[:3] %}"
          "<li>{{ a.title }}</li>{% endfor %}</ul></aside>")


def _reading_time_on_cards(site: Path) -> None:
    own_theme(site)
    _edit(site / "theme" / "templates" / "macros.html", "<p>{{ article.metadata.summary|striptags }}</p>\n</li>",
          "<p>{{ article.metadata.summary|striptags }}</p>\n  <p>{{ (article.words / 200)|round(0, 'ceil')|int }} "
          "minute read</p>\n</li>")


def _phone_on_story_pages(site: Path) -> None:
    own_theme(site)
    _edit(site / "theme" / "templates" / "article.html", "{% block content %}",
          "{% block content %}<p class=\"call\">Call us on {{ site.service.contact.phone }}</p>")


def _next_event_on_story_pages(site: Path) -> None:
    own_theme(site)
    _edit(site / "theme" / "templates" / "article.html", "{% block content %}",
          "{% block content %}{% for e in site.upcoming_events[:1] %}"
          "<p class=\"next\">Next: {{ e.title }}</p>{% endfor %}")


def _renamed_event(site: Path) -> None:
    events = site / "data" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    title = re.search(r"^(\s*title: )(.+)$", text, flags=re.M)
    assert title is not None
    events.write_text(text.replace(title.group(0), title.group(1) + "A renamed event", 1), encoding="utf-8")


def _new_latest_story(site: Path) -> None:
    (site / "content" / "stories" / "2026-10-30-the-newest-story.md").write_text(
        "Title: The newest story of all\nDate: 2026-10-30\nSummary: A story newer than any other.\n"
        f"Kind: news\nTags: supervision\n{CONSENT_LINES}\nA short story with a few words.\n", encoding="utf-8")


def _longer_story(site: Path) -> None:
    story = _story(site, 3)
    story.write_text(story.read_text(encoding="utf-8") + "\n" + "Many more words about practice. " * 150 + "\n",
                     encoding="utf-8")


def _retitled_latest(site: Path) -> None:
    _edit(site / "content" / "stories" / "2026-10-30-the-newest-story.md",
          "Title: The newest story of all", "Title: The newest story, renamed")


def _new_phone(site: Path) -> None:
    _edit(site / "data" / "service.yaml", "phone: 01632 960418", "phone: 01632 960419")


VARIANTS = {
    "latest stories on story pages": (_latest_on_story_pages, [_new_latest_story, _retitled_latest, _longer_story]),
    "reading time on list cards": (_reading_time_on_cards, [_longer_story, _new_latest_story]),
    "a data value on every story page": (_phone_on_story_pages, [_new_phone, _longer_story]),
    "an event on every story page": (_next_event_on_story_pages, [_renamed_event, _new_phone]),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_rebuild_gives_what_a_build_from_nothing_gives_for_any_theme(variant: str, tmp_path: Path):
    theme, changes = VARIANTS[variant]
    site = copy_site(tmp_path / "site")
    _add_stories(site, COUNT)
    theme(site)
    output = tmp_path / "output"
    _build(site, output)
    for i, change in enumerate(changes):
        change(site)
        _build(site, output)
        _same(output, _cold(site, tmp_path, f"{i}"))


def test_the_theme_variants_show_what_they_are_meant_to(tmp_path: Path):
    """The variants above are only a proof if the pages really show what they read."""
    site = copy_site(tmp_path / "site")
    _add_stories(site, COUNT)
    _latest_on_story_pages(site)
    _reading_time_on_cards(site)
    _phone_on_story_pages(site)
    _new_latest_story(site)
    output = tmp_path / "output"
    _build(site, output)
    page = (output / "stories" / "2020" / "generated-story-number-1" / "index.html").read_text(encoding="utf-8")
    assert "<li>The newest story of all</li>" in page
    assert "Call us on 01632 960418" in page
    assert re.search(r"\d+ minute read</p>", (output / "stories" / "index.html").read_text(encoding="utf-8"))


def test_a_data_file_change_renders_only_the_pages_that_read_it(tmp_path: Path):
    site = copy_site(tmp_path / "site")
    _add_stories(site, COUNT)
    output = tmp_path / "output"
    _build(site, output)
    before = _inodes(output)
    _renamed_event(site)
    _build(site, output)
    after = _inodes(output)
    again = {rel for rel in after if rel.endswith(".html") and before.get(rel) != after[rel]}
    stories = [rel for rel in after if rel.startswith("stories/20") and rel.endswith(".html")]
    assert len(stories) > COUNT
    assert not again & set(stories)  # no story page shows an event
    assert "events/index.html" in again
    _same(output, _cold(site, tmp_path, "events"))


_SITEMAP_PLUGIN_SETTINGS = 'PLUGINS = ["cswork_site", "pelican.plugins.sitemap"]\nSITEMAP = {"format": "txt"}\n'


def _sitemap_urls(output: Path) -> list[str]:
    return sorted((output / "sitemap.txt").read_text(encoding="utf-8").split())


def test_every_page_reaches_other_plugins_on_a_rebuild_as_on_a_cold_build(tmp_path: Path):
    """pelican-sitemap lists the pages Pelican announces as written (content_written):
    a rebuild that reuses pages must announce them all, data pages included."""
    pytest.importorskip("pelican.plugins.sitemap")
    site = copy_site(tmp_path / "site")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write(_SITEMAP_PLUGIN_SETTINGS)
    output = tmp_path / "output"
    _build(site, output)
    cold = _sitemap_urls(output)
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    listed = {u.removeprefix("/") for u in cold}
    # Every page but the 404 page (which has no address of its own to list) is there.
    for page in pages:
        if page != "404.html":
            assert page.removesuffix("index.html") in listed, page
    _build(site, output)  # nothing changed: every page is reused
    assert _sitemap_urls(output) == cold


_CHANGING_PLUGIN = textwrap.dedent('''
    """A plugin that changes every page after Pelican writes it, then fails when asked."""
    import os
    from pathlib import Path

    from pelican import signals


    def _stamp(pelican):
        for page in Path(pelican.output_path).rglob("*.html"):
            with page.open("a", encoding="utf-8") as f:
                f.write("<!-- stamped -->\\n")
        if os.environ.get("STAMPER_FAILS"):
            raise RuntimeError("the stamper failed")


    def register():
        signals.finalized.connect(_stamp)
''')


def test_a_plugin_that_changes_pages_never_changes_the_last_build(tmp_path: Path):
    site = copy_site(tmp_path / "site")
    (site / "stamper.py").write_text(_CHANGING_PLUGIN, encoding="utf-8")
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as f:
        f.write('import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'
                'PLUGINS = ["cswork_site", "stamper"]\n')
    output = tmp_path / "output"
    _build(site, output)
    before = tree_digest(output)
    page = output / "our-offer" / "index.html"
    assert page.read_text(encoding="utf-8").count("<!-- stamped -->") == 1
    failed = cswork("build", str(site), "-o", str(output), env={"STAMPER_FAILS": "1"})
    assert failed.returncode != 0
    assert tree_digest(output) == before  # the failed rebuild stamped only its own copies
    _build(site, output)
    assert page.read_text(encoding="utf-8").count("<!-- stamped -->") == 1
    shutil.rmtree(tmp_path / "site" / ".cswork-cache", ignore_errors=True)


def _inodes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


def test_every_cache_file_is_one_kind_of_store(tmp_path: Path):
    """One mechanism: every file of the cache starts with the same header, naming its kind
    and the code's version; the only folders are the pictures' and compiled templates'."""
    from cswork_site.cache import code_version

    site = copy_site(tmp_path / "site")
    _add_stories(site, 4)
    _build(site, tmp_path / "output")
    cache = site / ".cswork-cache"
    files = sorted(p for p in cache.iterdir() if p.is_file())
    kinds = set()
    for file in files:
        first = file.open("rb").readline().decode().split()
        assert first[:2] == ["cswork-cache", "1"] and first[3] == code_version(), file.name
        kinds.add(first[2])
    assert kinds == {"stories", "articles", "pages", "search"}
    assert sorted(p.name for p in cache.iterdir() if p.is_dir()) == ["images", "templates"]


def test_no_cache_does_all_the_work_and_leaves_the_cache_alone(tmp_path: Path):
    site = copy_site(tmp_path / "site")
    _add_stories(site, 6)
    output = tmp_path / "output"
    _build(site, output)
    cache_before = tree_digest(site / ".cswork-cache")
    inodes = _inodes(output)
    result = cswork("build", str(site), "-o", str(output), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert tree_digest(site / ".cswork-cache") == cache_before
    after = _inodes(output)
    shared = [rel for rel in after if rel.endswith(".html") and inodes.get(rel) == after[rel]]
    assert shared == []  # every page rendered again, none taken from the last build
    _same(output, _cold(site, tmp_path, "no-cache"))


@pytest.mark.parametrize("damage", ["cut short", "not ours", "garbage after the header"])
def test_a_damaged_or_foreign_cache_file_is_ignored_with_a_note(damage: str, tmp_path: Path):
    site = copy_site(tmp_path / "site")
    _add_stories(site, 6)
    output = tmp_path / "output"
    _build(site, output)
    store = next((site / ".cswork-cache").glob("articles-*.pickle"))
    data = store.read_bytes()
    header = b"".join(data.splitlines(keepends=True)[:2])
    store.write_bytes({"cut short": data[: len(header) + 20], "not ours": b"\x80\x04K\x01.",
                       "garbage after the header": header + b"\x00\xff" * 40}[damage])
    story = _story(site, 2)
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    result = cswork("build", str(site), "-o", str(output))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:") and "build cache" in line]
    assert len(notes) == 1 and store.name in notes[0], result.stderr
    _same(output, _cold(site, tmp_path, damage.replace(" ", "-")))
