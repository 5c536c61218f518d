"""A build that reuses the last one's work gives exactly the site a build from nothing
gives: stories are checked and converted again only when they change (in parallel when
there are many), pages are rendered again only when their inputs change, and the search
index again only for the parts whose pages changed."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import jinja2
import pytest

from cswork_site.cache import BuildCache
from cswork_site.stories.sanitise import CleanHTML, clean_html

from .helpers import CONSENT_LINES, EPOCH, PACKAGE_THEME, REPO, copy_site, cswork, own_theme, tree_digest
from .test_reproducible import _explain

MANY = 80  # above the number of stories from which the work is shared among processes


def _add_stories(site: Path, count: int) -> None:
    stories = site / "content" / "stories"
    for i in range(count):
        year = 2019 + i % 7
        (stories / f"{year}-03-{1 + i % 28:02d}-generated-{i}.md").write_text(
            f"Title: Generated story number {i}\nDate: {year}-03-{1 + i % 28:02d}\n"
            f"Summary: Story {i} of a batch, about supervision.\nKind: practice story\n"
            f"Tags: supervision, batch {i % 5}\n{CONSENT_LINES}\n"
            f"## What happened\n\nParagraph {i} about *reflective* practice and team days.\n\n"
            "- one point\n- another point\n", encoding="utf-8")


def _build(site: Path, out: Path, env: dict[str, str] | None = None) -> str:
    result = cswork("build", str(site), "-o", str(out), env=env)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _cold(site: Path, tmp: Path, name: str, env: dict[str, str] | None = None) -> Path:
    """A build of the same input from nothing: a copy of the site without its cache."""
    fresh = tmp / f"fresh-{name}"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(".cswork-cache", "output", ".output*"))
    out = tmp / f"cold-{name}"
    _build(fresh, out, env)
    return out


def _same(a: Path, b: Path) -> None:
    assert tree_digest(a) == tree_digest(b), _explain(a, b)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    site = copy_site(tmp_path_factory.mktemp("incremental") / "site")
    _add_stories(site, MANY)
    return site


@pytest.mark.slow
def test_stories_studied_in_parallel_give_the_same_site_as_one_by_one(many, tmp_path):
    serial = tmp_path / "serial"
    _build(many, serial, env={"CSWORK_WORKERS": "1"})
    shutil.rmtree(many / ".cswork-cache")
    parallel = tmp_path / "parallel"
    _build(many, parallel, env={"CSWORK_WORKERS": "2"})
    _same(serial, parallel)


def _inodes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*") if p.is_file()}


def _story(site: Path, i: int) -> Path:
    return next((site / "content" / "stories").glob(f"*-generated-{i}.md"))


CHANGES = {
    "a story's text": lambda site: _story(site, 7).write_text(
        _story(site, 7).read_text() + "\nA longer ending, " + "with many more words " * 60 + ".\n"),
    "a story's title": lambda site: _story(site, 8).write_text(
        _story(site, 8).read_text().replace("Title: Generated story number 8", "Title: A new title for eight")),
    "a story's consent withdrawn": lambda site: _story(site, 9).write_text(
        _story(site, 9).read_text().replace("Consent_expires: 2027-12-31", "Consent_expires: 2026-01-31")),
    "a story removed": lambda site: _story(site, 10).unlink(),
    "a story added": lambda site: _add_stories(site, MANY + 1) or None,
    "the data": lambda site: (site / "data" / "offer.yaml").write_text(
        (site / "data" / "offer.yaml").read_text().replace("Castlebrook", "Castlebrooke", 1)),
    "a template": lambda site: (own_theme(site) / "templates" / "article.html").write_text(
        (site / "theme" / "templates" / "article.html").read_text().replace("minute read", "minutes' reading")),
}


@pytest.mark.slow
def test_every_rebuild_gives_the_site_a_build_from_nothing_gives(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    for what, change in CHANGES.items():
        change(many)
        _build(many, output)
        _same(output, _cold(many, tmp_path, what.replace(" ", "-").replace("'", "")))
    # A new day can change what is published (consent ends, jobs close): the same holds.
    env = {"SOURCE_DATE_EPOCH": str(int(EPOCH) + 400 * 86400)}
    _build(many, output, env)
    _same(output, _cold(many, tmp_path, "later", env))


@pytest.mark.slow
def test_a_changed_story_renders_its_own_page_and_reuses_the_others(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    before = _inodes(output)
    story = _story(many, 21)
    story.write_text(story.read_text() + "\nOne more sentence about the court team.\n")
    _build(many, output)
    after = _inodes(output)
    again = {rel for rel in after if rel.endswith(".html") and before.get(rel) != after[rel]}
    page = "stories/2019/generated-story-number-21/index.html"
    assert page in again
    # Only its text changed, so no list shows anything new: no other page is rendered.
    assert again == {page}, sorted(again)[:20]
    kept = [rel for rel in after if rel.startswith("stories/20") and rel.endswith(".html") and rel != page]
    assert len(kept) > MANY


@pytest.mark.slow
def test_a_page_changed_by_hand_in_the_output_is_rendered_again(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    page = output / "stories" / "2020" / "generated-story-number-1" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</main>", b"<p>edited by hand</p></main>"))
    _build(many, output)
    assert page.read_bytes() == good


@pytest.mark.slow
def test_a_damaged_cache_is_ignored(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    cache = many / ".cswork-cache"
    damaged = [f for f in cache.rglob("*") if f.is_file()]
    assert len(damaged) > 3  # the stories, the pages, the compiled templates
    for file in damaged:
        file.write_bytes(b"\x80not a cache at all")
    _build(many, output)
    _same(output, _cold(many, tmp_path, "damaged"))


@pytest.mark.slow
def test_warnings_are_given_on_every_build_not_only_when_the_work_is_done(many, tmp_path):
    story = _story(many, 30)
    story.write_text(story.read_text() + "\nCall Jamie's mum on 07700 900123 after school.\n")
    output = tmp_path / "output"
    first = _build(many, output)
    second = _build(many, output)  # the story's work now comes from the cache
    line = [ln for ln in first.splitlines() if story.name in ln and "safeguarding" in ln]
    assert line and line == [ln for ln in second.splitlines() if story.name in ln and "safeguarding" in ln]
    assert not (output / "stories" / "2019" / "generated-story-number-30").exists()


@pytest.mark.slow
def test_the_build_never_writes_through_a_reused_page_into_the_last_build(many, tmp_path):
    """Reused pages are hard links to the last build's files: a failed build must leave
    the last build exactly as it was."""
    output = tmp_path / "output"
    _build(many, output)
    before = tree_digest(output)
    (own_theme(many) / "templates" / "tag.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ nonsense(1) }}{% endblock %}")
    result = cswork("build", str(many), "-o", str(output))
    assert result.returncode != 0
    assert tree_digest(output) == before
    shutil.copy2(PACKAGE_THEME / "templates" / "tag.html",
                 many / "theme" / "templates" / "tag.html")


@pytest.mark.slow
def test_the_cache_lives_in_the_site_folder_and_is_never_published(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    assert (many / ".cswork-cache" / "stories.pickle").is_file()
    assert not any(".cswork-cache" in p.as_posix() for p in output.rglob("*"))
    assert os.access(many / ".cswork-cache", os.W_OK)


@pytest.mark.slow
def test_the_markdown_converted_beforehand_is_what_pelicans_own_reader_gives(many):
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    from cswork_site.build.check import check_site
    from cswork_site.plugin.reader import PreparedMarkdownReader, markdown_settings
    from cswork_site.plugin.session import BuildSession, running

    site = many.resolve()
    settings = read_settings(str(site / "pelicanconf.py"))
    data, _ = check_site(site, markdown=markdown_settings(settings))
    assert data is not None and len(data.story_markdown) > MANY
    prepared = PreparedMarkdownReader(settings)
    own = MarkdownReader(read_settings(str(site / "pelicanconf.py")))
    count = jinja2.Environment().from_string("{{ html|striptags|wordcount }}")
    for path in list(data.story_markdown):
        source = str(site / path)
        with running(BuildSession(site, data)):
            content, metadata = prepared.read(source)
        own_content, own_metadata = own.read(source)
        assert metadata == own_metadata, path
        # Cleaned where it was converted, as the content hook cleans what Pelican reads.
        assert content == clean_html(own_content), path
        assert isinstance(content, CleanHTML) and content.words == int(count.render(html=content)), path


def test_one_converter_for_many_stories_gives_what_a_new_one_gives_each(tmp_path):
    """Converters are reused between stories: nothing of one story (footnotes,
    abbreviations, metadata, references) may show in the next."""
    from pelican.readers import MarkdownReader
    from pelican.settings import read_settings

    from cswork_site.plugin.reader import markdown_settings
    from cswork_site.stories.work import convert_markdown, pelican_text

    settings = read_settings(str(REPO / "pelicanconf.py"))
    documents = [
        "Title: One\nSummary: First *summary*\n\nText with a note.[^a] An HTML abbr.\n\n"
        "*[HTML]: Hyper Text\n[^a]: The note.\n\n[link]: https://example.org/one\n",
        "Title: Two\n\nNo notes here, HTML and [a link][link].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "Text without metadata.[^b]\n\n[^b]: Another note.\n",
        "Title: Four\nSummary: Last\n\nDone.\n",
    ]
    ours = markdown_settings(settings)
    for i, text in enumerate(documents * 2):
        source = tmp_path / f"doc{i}.md"
        source.write_text(text, encoding="utf-8")
        prepared = convert_markdown(pelican_text(source.read_bytes()), ours)
        reader = MarkdownReader(read_settings(str(REPO / "pelicanconf.py")))
        own_content, _ = reader.read(str(source))
        assert prepared.content == clean_html(own_content), text
        for joined, html in prepared.formatted.items():
            assert html == reader._md.reset().convert(joined)


@pytest.mark.slow
def test_a_big_year_is_indexed_in_parts_that_together_hold_every_story(many, tmp_path, monkeypatch):
    import json

    from cswork_site.output import search

    output = tmp_path / "output"
    _build(many, output)
    monkeypatch.setattr(search, "SHARD_PAGES", 5)  # as if each year had hundreds of stories
    shutil.rmtree(output / "pagefind")
    search.index_site(output)
    listed = json.loads((output / "pagefind" / "shards.json").read_text())
    marked = {p.relative_to(output).as_posix() for p in output.rglob("*.html")
              if "pagefind" not in p.parts and b"data-pagefind-body" in p.read_bytes()}
    counted = 0
    for bundle in listed["bundles"]:
        entry = json.loads((output / "pagefind" / bundle / "pagefind-entry.json").read_text())
        pages = sum(lang["page_count"] for lang in entry["languages"].values())
        assert 0 < pages <= 5 or bundle == "site/", bundle
        counted += pages
    assert counted == len(marked)
    # A year of 11 or 12 stories is cut into 3 parts of at most 5.
    assert {"stories-2019-1/", "stories-2019-2/", "stories-2019-3/"} <= set(listed["bundles"])


@pytest.mark.slow
def test_a_year_with_one_story_is_indexed_when_that_story_changes(many, tmp_path):
    """The search index of a year starts as soon as its last page is written: the page
    being written must be counted, or a year of one story has no pages at all."""
    import json

    lone = many / "content" / "stories" / "2012-05-05-the-only-one-that-year.md"
    lone.write_text("Title: The only one that year\nDate: 2012-05-05\nSummary: Alone in its year.\n"
                    f"Kind: news\n{CONSENT_LINES}\nA story about a lyrebirdish afternoon.\n", encoding="utf-8")
    output = tmp_path / "output"
    _build(many, output)
    lone.write_text(lone.read_text() + "\nAnd one more line.\n", encoding="utf-8")
    _build(many, output)
    listed = json.loads((output / "pagefind" / "shards.json").read_text())
    assert "stories-2012/" in listed["bundles"]
    entry = json.loads((output / "pagefind" / "stories-2012" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 1
    _same(output, _cold(many, tmp_path, "lone"))
    lone.unlink()


@pytest.mark.slow
def test_the_replaced_build_is_kept_as_a_spare_whose_folders_the_next_build_moves(many, tmp_path):
    output = tmp_path / "output"
    spare = tmp_path / ".output.spare"
    _build(many, output)
    assert not spare.exists()
    pages = _inodes(output)
    first = (output / "stories" / "2020" / "generated-story-number-1").stat().st_ino
    _build(many, output)
    assert (spare / "stories" / "2020" / "generated-story-number-1" / "index.html").is_file()
    _build(many, output)
    # The folder the first build made was moved back into place, not made anew.
    assert (output / "stories" / "2020" / "generated-story-number-1").stat().st_ino == first
    # Nothing changed, so no page was rendered again, however many builds ago it was made.
    again = {rel for rel, inode in _inodes(output).items() if rel.endswith(".html") and pages.get(rel) != inode}
    assert not again, sorted(again)[:20]
    _same(output, _cold(many, tmp_path, "spare"))


@pytest.mark.slow
def test_nothing_but_the_pages_comes_from_the_spare(many, tmp_path):
    output = tmp_path / "output"
    spare = tmp_path / ".output.spare"
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of any site")
    _build(many, output)
    _build(many, output)
    story = spare / "stories" / "2020" / "generated-story-number-1"
    (story / "stray.html").write_text("<p>left in the spare</p>")
    (spare / "stories" / "2021" / "generated-story-number-2" / "inner").mkdir()
    (spare / "stories" / "2022" / "generated-story-number-3" / "link.txt").symlink_to(outside)
    page = spare / "stories" / "2023" / "generated-story-number-4" / "index.html"
    page.unlink()  # the spare's pages are links to the output's: replace it, not write into it
    page.write_text("<p>a different file in the spare</p>")
    _build(many, output)
    assert not list(output.rglob("stray.html")) and not list(output.rglob("inner"))
    assert not list(output.rglob("link.txt"))
    assert outside.read_text() == "not part of any site"
    _same(output, _cold(many, tmp_path, "stray"))


@pytest.mark.slow
def test_a_spare_without_its_output_is_dropped(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    _build(many, output)
    assert (tmp_path / ".output.spare").is_dir()
    shutil.rmtree(output)
    _build(many, output)
    assert not (tmp_path / ".output.spare").exists()
    _same(output, _cold(many, tmp_path, "dropped"))


def _article_files(site: Path, output: Path) -> tuple[Path, Path]:
    """The story objects' cache that belongs to one output folder: the whole cache, and
    the objects made since it was written."""
    cache = BuildCache(site)
    return (cache.store("articles", target=output, suffix=".pickle").path,
            cache.store("articles-changes", target=output, suffix=".pickle").path)


def _stamps(file: Path) -> dict[str, str]:
    """The stories a cache file holds objects for: the part written ahead of the objects."""
    with file.open("rb") as f:
        f.readline()
        f.readline()
        return pickle.load(f)


@pytest.mark.slow
def test_a_changed_story_writes_only_its_own_object_to_the_story_cache(many, tmp_path):
    output = tmp_path / "output"
    _build(many, output)
    whole, changes = _article_files(many, output)
    assert not changes.exists()
    before = whole.stat()
    assert len(_stamps(whole)) > MANY
    first, second = _story(many, 40), _story(many, 41)
    first.write_text(first.read_text() + "\nA sentence about the duty desk.\n")
    _build(many, output)
    # Every other story's object was taken from the cache: only the one made anew is written.
    assert set(_stamps(changes)) == {f"stories/{first.name}"}
    second.write_text(second.read_text() + "\nA sentence about the court team.\n")
    _build(many, output)
    assert set(_stamps(changes)) == {f"stories/{first.name}", f"stories/{second.name}"}
    after = whole.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    _same(output, _cold(many, tmp_path, "changes"))
    # Once many stories have changed, the whole cache is written again, and holds them.
    for i in range(50, 50 + MANY // 4):
        story = _story(many, i)
        story.write_text(story.read_text() + "\nOne more line.\n")
    _build(many, output)
    assert not changes.exists()
    assert whole.stat().st_mtime_ns != before.st_mtime_ns and len(_stamps(whole)) > MANY
    _same(output, _cold(many, tmp_path, "rewritten"))
    # A cache cut short after its list of stories: they let go of their converted text
    # before the objects failed to load, and are read again from their files.
    with whole.open("rb") as f:
        f.readline()
        f.readline()
        pickle.load(f)
        cut = f.tell() + 100
    with whole.open("r+b") as f:
        f.truncate(cut)
    shutil.rmtree(output)  # so that every page is written again, from what was read
    _build(many, output)
    _same(output, _cold(many, tmp_path, "cut"))
