#!/usr/bin/env python3
"""Time cswork builds, cold and after changing one story or one data file, against plain Pelican.

For each story count N (--stories), and each story count to be measured with photos
as well (--pictures), this script:

0. copies cswork_site/, data/, content/, theme/ and pelicanconf.py into WORK/source
   once, at the start, and compiles that copy's bytecode (python -m compileall), as
   installing a package does; everything below uses that copy, and cswork runs with
   WORK/source first on PYTHONPATH, so one benchmark measures one version of the
   code even if the repository is edited while it runs, and, like Pelican, never
   compiles its own modules during a timed run (where PYTHONDONTWRITEBYTECODE is set,
   Python would otherwise compile them again in every run);
1. makes a fresh cswork site folder, WORK/cswork-N, from that copy's data/,
   content/ (with content/stories/ replaced by N generated stories), theme/ and
   pelicanconf.py. The stories are generated from a fixed seed, so every run writes
   the same files: valid story metadata (Title, Date, Summary, Kind, Tags, consent and
   approval lines that make every story publishable, and sometimes Author_role,
   Related_role and Related_stage), unique titles, dates spread from 2019 to 2026,
   2 to 5 of 60 tags each, tag k drawn with weight 1/k (Zipf-like: a few tags on
   hundreds of stories, many on a handful), and Markdown bodies of roughly 300 to 500
   words with a few paragraphs, "##" headings and a list. With photos (WORK/cswork-N-
   pictures), story i also has "Image: content/images/photo-NNNN.jpg" (photo
   i // 4 + 1, so one distinct photo per 4 stories) and an Image_alt line, and the
   photos are in content/images/; the stories are otherwise the same, byte for byte.
   The photos are made once, in WORK/photos, by benchmarks/photos.py (run with
   --python, as it needs Pillow): 1600x1200, photo-like (smooth gradients, texture and
   grain, not flat colour, which would encode far faster), JPEG quality 90, each from
   a fixed seed;
2. makes a plain Pelican site, WORK/plain-N, whose content/ folder is a byte-for-byte
   copy of the cswork site's content/ (the same Markdown files, and the same photos,
   which Pelican copies into the output as static files: the fair comparison), with a minimal
   pelicanconf.py: Pelican's default theme, no plugins, default settings otherwise
   (only PATH, ARTICLE_PATHS = ["stories"], SITENAME and TIMEZONE are set);
3. builds each once without timing (a warm-up), then times R cold builds of each,
   alternating cswork, Pelican, cswork, Pelican, ...:

       cswork:  PYTHON -m cswork_site build WORK/cswork-N -o WORK/out/cswork-N
       Pelican: PYTHON -m pelican WORK/plain-N/content -s WORK/plain-N/pelicanconf.py
                                  -o WORK/out/plain-N

   Cold means cold: before every cold build, outside the timed part, it removes the
   output folder and every cache the build could reuse. For cswork that is
   WORK/cswork-N/.cswork-cache/ (cswork's own build cache),
   WORK/cswork-N/cache/ (Pelican's CACHE_PATH, where cswork keeps processed pictures)
   and WORK/out/.cswork-N.spare/ (the build before last, whose folders a rebuild
   moves into place rather than making new ones; cswork itself drops it when the
   output folder is gone); for Pelican it is WORK/plain-N/cache/ (its content cache,
   which is off by default and which neither configuration turns on).

   Removing means moving into WORK/trash by renaming, which frees nothing; the trash
   is emptied only when all timing is over. Before every timed build the script
   calls os.sync() and waits 2 seconds, or longer if needed so that at least 61
   seconds have passed since the script last deleted anything. Why: on ext4 without
   a journal, making a file or folder skips every inode of its block group freed in
   the last 60 seconds (see recently_deleted() in the kernel's fs/ext4/ialloc.c), so
   a build that ran just after thousands of files were deleted paid for scanning past
   them, and the more files a build makes, the more it paid. Deleting between runs
   made later runs slower than earlier ones for no reason in the code measured;
4. times R rebuilds after changing one story. One more cold cswork build, untimed,
   leaves a complete output folder and cache in place. Then, R times in a row, it
   appends a new paragraph to one story (the middle one of the sorted story files in
   WORK/cswork-N/content/stories/) with a sentence that is different every time, and
   times the cswork command above again, into the same output folder, deleting
   nothing. The story is never restored, so every rebuild follows a real change. After
   each rebuild it checks that the story's page in the output holds the new sentence,
   and stops if it does not;
   Then, R times in a row, it adds a sentence with a new check word to the first
   event's summary in WORK/cswork-N/data/events.yaml and times a rebuild again,
   checking that an events page in the output holds the word;
5. stops if any build fails, and checks that cswork wrote one page per story (and,
   with photos, that cswork published every photo and Pelican copied every one);
6. prints one row per N (and per N with photos): median seconds of the cold builds of
   each, the median of the per-pair ratios (cswork run i / Pelican run i), the median
   seconds of each kind of rebuild and its ratio to cswork's median cold build, and
   the peak memory of each (the largest over the timed runs; for cswork that includes
   the rebuilds). Then it prints, for each of these targets, whether it is met, or
   that it was not measured:

   - a cold cswork build takes at most 1.5 times as long as plain Pelican at N=60, and
     at most as long (1.0) at N=1000 and at N=5000, without photos (the median of the
     per-pair ratios);
   - with a photo per 4 stories, a cold cswork build at N=1000 takes at most 12 times
     as long as plain Pelican copying the same photos;
   - a rebuild after changing one story with photos takes at most 10% longer than one
     without, at every N measured both ways;
   - a rebuild after changing one story takes at most 0.1 of cswork's own cold build
     (median rebuild / median cold), and one after changing data/events.yaml at most
     0.25, at N=5000 (the ratios at other N are printed for information);
   - the cost grows no worse than linearly from 1000 to 5000 stories: cswork's median
     cold time per story at N=5000 is at most 1.1 times that at N=1000 (judged only
     when both were measured);
   - peak memory is at most 300 MB at N=5000 (cswork's process tree).

   It also prints the median CPU time (user and system) of each's cold builds, which
   other programs on a shared machine change far less than they change wall-clock time.

Every build runs with SOURCE_DATE_EPOCH=1793491200. Wall-clock time is
time.perf_counter() from just before starting the child until os.wait4() returns.

Peak memory is measured over the build's whole process tree, because cswork runs
Pagefind (a separate program, sometimes more than one at once) as child processes and
may use worker processes, and
ru_maxrss from os.wait4() only gives the largest single process (and for processes
that were not waited for, such as grandchildren whose parent exited, not even that).
While the build runs, a thread in this script samples the tree about every 20 ms: it
finds the child's descendants through /proc/PID/task/TID/children (or, where that file
does not exist, the parent ids in /proc/*/stat) and reads each one's resident set size
(VmRSS, taken from /proc/PID/statm, which is cheaper to read than /proc/PID/status)
and proportional set size (Pss, from /proc/PID/smaps_rollup). Two figures come out,
each at least ru_maxrss (which catches a single process's peak between two samples):

    process tree:     the largest sum of the proportional set sizes in the tree at one
                      sample (PSS shares each page among the processes that share it,
                      such as a forked worker and its parent, so the sum counts every
                      page once; where PSS cannot be read, the sum of resident sets,
                      which errs on the high side);
    largest process:  the largest resident set of any one process in the tree.

A process that lives less than one sampling interval can be missed by the sum. The main
thread waits in os.wait4() while the sampler sleeps between samples, so the end time is
exact. On a 2-core machine the sampler does compete with the build for CPU, but only
a little: it uses about 2 to 3% of one core (each run prints how much CPU it used).
Without /proc (not Linux) only ru_maxrss is reported.

Standard library only. Run it with the Python in which cswork_site is installed
(or point --python at it). From the repository root:

    python benchmarks/bench_build.py --stories 1000 --runs 3
    python benchmarks/bench_build.py --stories 60,1000 --pictures 1000 --runs 3 --output docs/performance.md
    python benchmarks/bench_build.py --stories 1000,5000 --runs 3

The CPU time per photo of the encoder settings is measured separately, by
benchmarks/bench_pictures.py.

--output writes the results, and the list of targets, as Markdown. If the file already
exists, only the part between the two marker comments is replaced (the markers are
added at the end of the file if it has none), so hand-written text around the results
is kept.

The work folder (default benchmarks/work, which git ignores) holds the copy of the
code, the generated sites, the build outputs and a log of every build (WORK/logs/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1793491200"  # 2026-11-01T00:00:00Z
SEED = 20260101

START_MARKER = "<!-- benchmark results: written by benchmarks/bench_build.py; edit outside these markers -->"
END_MARKER = "<!-- end of benchmark results -->"

PLAIN_PELICANCONF = '''\
"""Plain Pelican, for comparison with cswork: the default theme, no plugins and
Pelican's default settings apart from these."""

SITENAME = "Plain Pelican benchmark"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["stories"]
TIMEZONE = "Europe/London"
'''


# ---------------------------------------------------------------------------
# Story generator

KINDS = [
    ("practice story", 30),
    ("career story", 30),
    ("agency-to-permanent story", 10),
    ("young people's voice", 15),
    ("news", 15),
]

# 60 tags, most used first: tag k is drawn with weight 1/k (Zipf-like), 2 to 5 a story,
# so a few tags have hundreds of stories and many have a handful, as on a real site.
TAGS = [
    "careers", "practice", "ASYE", "learning", "families", "wellbeing", "young people",
    "restorative practice", "children in care", "supervision", "returners", "care leavers",
    "agency to permanent", "fostering", "caseloads", "pay", "flexible working", "management",
    "students", "participation", "early help", "awards", "adoption", "court work",
    "family group conferences", "life story work", "disabled children", "mental health",
    "domestic abuse", "exploitation", "youth justice", "kinship care", "leadership",
    "apprenticeships", "practice educators", "research", "recording", "technology",
    "team days", "mentoring", "equality", "anti-racist practice", "neurodiversity",
    "parenting", "schools", "health", "housing", "independent reviewing", "front door",
    "edge of care", "permanence", "reunification", "unaccompanied children", "advocacy",
    "volunteering", "partnerships", "inspection", "quality assurance", "training", "events",
]
TAG_WEIGHTS = [1 / rank for rank in range(1, len(TAGS) + 1)]
PICTURE_EVERY = 4  # stories per distinct photo, in a site with pictures


def pick_tags(rng: random.Random) -> list[str]:
    """2 to 5 different tags, drawn by TAG_WEIGHTS."""
    chosen: list[str] = []
    k = rng.randint(2, 5)
    while len(chosen) < k:
        tag = rng.choices(TAGS, TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


AUTHOR_ROLES = [
    "Communications officer", "Participation officer", "Principal social worker",
    "Workforce development lead", "Practice educator", "Team manager",
]

CONSENT_GIVERS = [
    "the worker", "the social worker", "the young person and their carer",
    "the family and the social worker", "the young people's forum",
]
CONSENT_SCOPES = ["website", "website, social media", "website, social media, print"]
APPROVERS = ["Director of Children's Services", "Head of service", "Principal social worker"]

NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Hannah", "Imran", "Jade",
    "Kwame", "Leah", "Marta", "Nadia", "Owen", "Priya", "Quentin", "Rosa", "Sam", "Tariq",
    "Una", "Vikram", "Wendy", "Xander", "Yasmin", "Zoe", "Amir", "Bethan", "Callum", "Dina",
    "Eamon", "Fatima", "Gareth", "Helen", "Isaac", "Joanna", "Kieran", "Lucy", "Mo", "Niamh",
]

TEAMS = [
    "child protection team", "children in care team", "leaving care team",
    "fostering team", "front door team", "early help team", "disabled children's team",
    "adolescent support team", "court team", "family support team",
]

ROLES = [
    "student social worker", "newly qualified social worker", "social worker",
    "senior practitioner", "advanced practitioner", "team manager", "personal adviser",
    "family support worker", "agency social worker", "practice educator",
]

TOPICS = [
    "supervision", "a manageable caseload", "restorative practice", "family group conferences",
    "life story work", "direct work with teenagers", "court work", "return home plans",
    "permanence planning", "reflective practice", "a four-day week", "peer mentoring",
    "team days", "a new assessment form", "a practice week", "the Practice Academy",
]

TITLE_TEMPLATES = [
    "{name}'s first year in the {team}",
    "What {years} years in the {team} taught {name}",
    "How {name} went from {role} to {role2}",
    "{name} on {topic}",
    "Why {name} chose Castlebrook",
    "A week with {name} in the {team}",
    "{topic_cap}: what changed for the {team}",
    "Learning from {topic}: {name}'s story",
    "{name} and the {team}: {years} years on",
    "Why {name} stayed in the {team}",
    "What young people told {name} about {topic}",
    "{name} joins as {role2}",
]

SUMMARY_TEMPLATES = [
    "{name} has worked in our {team} for {years} years. They explain what {topic} means "
    "in day-to-day practice, and what they would tell someone thinking of joining us.",
    "How {topic} helped {name} and colleagues in the {team} spend more time with children "
    "and families.",
    "{name} started as a {role} and is now a {role2}. This is the story of the steps in "
    "between, and the people who helped.",
    "News from the {team}: what is changing, why we are doing it and what it means for "
    "the families we work with.",
]

HEADINGS = [
    "Where it started", "What made the difference", "The first few months",
    "What we changed", "What the team says", "Looking ahead", "What helped",
    "Support along the way", "What young people told us", "The numbers",
    "A typical week", "What I would tell someone starting out",
]

SENTENCES = [
    "{name} joined the {team} {years} years ago, straight after finishing a placement with us.",
    "Before that, {name} worked as a {role} in a neighbouring council.",
    "The team meets every Monday morning to talk through the week ahead and share worries early.",
    "Caseloads in the {team} are kept to a level where there is time to see children properly.",
    "Every social worker has supervision at least once a month, and more often in the first year.",
    "We have changed how we plan visits, so that families know who is coming and why.",
    "Managers in the {team} know every family by name, and they make time for questions.",
    "Much of the work happens in people's homes, in schools and in cafés, not in the office.",
    "The service has been working with {topic} for the last two years, and it has changed how meetings feel.",
    "Families told us that they wanted fewer professionals and more time with the one they knew.",
    "We now write our reports in plain English, and we read them through with families before meetings.",
    "When something goes wrong, we talk about it as a team and look at what we can learn.",
    "The training budget pays for courses, conferences and books that each worker chooses.",
    "Practice educators support students from their first day to their final assessment.",
    "Our principal social worker runs a practice forum every month, open to anyone in the service.",
    "Young people helped to design the questions we now ask at the start of every review.",
    "Nobody in the {team} is expected to answer emails in the evening or at weekends.",
    "Newly qualified staff start with a protected caseload that grows over their first year.",
    "The move from agency work to a permanent post meant more stability for the children, too.",
    "Several of our senior practitioners started with us as students on placement.",
    "We track how often children see the same social worker, and the figure has improved each year.",
    "Working from home on writing days gives people quiet time to think and record well.",
    "A family group conference brings together the people who matter most to a child.",
    "It is not always easy work, and we do not pretend that it is.",
    "The difference is that nobody has to do the hardest parts alone.",
    "Leaders visit teams regularly and join visits when they are invited.",
    "We ask every leaver why they are going, and we use what they say to make changes.",
    "Over the last year, more than half of our vacancies were filled by people we had trained ourselves.",
    "Court work can be demanding, so the team plans statements together and shares the load.",
    "Each new starter spends their first fortnight shadowing colleagues before taking any cases.",
    "The council's family hubs give social workers a friendly place to meet parents and children.",
    "Most people in the team have chosen to stay for several years, and it shows in the work.",
    "Children in care now choose where their review meetings happen and who chairs them.",
    "Our care leavers' forum meets every month and reports straight to senior leaders.",
]

QUOTES = [
    "\"I did not expect to be listened to so quickly,\" says {name}. \"But when I raised something, it changed.\"",
    "\"The best thing is the team,\" says {name}. \"Nobody is left to carry a worry on their own.\"",
    "\"I came for three months and I am still here,\" {name} says.",
    "\"Supervision here is about the children, not just the deadlines,\" says {name}.",
    "\"You get time to think,\" says {name}. \"That is rarer than it should be in social work.\"",
    "\"The young people keep me going,\" {name} says. \"They notice when you keep your promises.\"",
    "\"I would tell anyone starting out to ask for help early,\" says {name}. \"Here, people give it.\"",
]

LIST_INTROS = [
    "Here is what helped most:",
    "The team now offers:",
    "What changed in the first year:",
    "A typical week includes:",
    "Young people asked us for three things, and more:",
]

LIST_ITEMS = [
    "a named mentor from another team",
    "monthly reflective supervision",
    "protected time for learning, with **6 learning days** a year",
    "a personal training budget of £500",
    "a laptop and a work phone from day one",
    "flexible working from the first day",
    "group supervision once a month",
    "a caseload that grows slowly over the first year",
    "a buddy in the team for the first three months",
    "time to write up visits on the same day",
    "meetings held somewhere the young person chooses",
    "reports shared with families before any meeting",
    "a clear route to senior practitioner",
    "regular visits from senior leaders",
    "an open door to the practice forum",
    "*fewer* changes of social worker",
]

CLOSINGS = [
    "If you would like to talk to someone in the {team} about working with us, "
    "[get in touch with our recruitment team](/our-offer/).",
    "You can read more about [our offer](/our-offer/) and [career pathways](/careers/).",
    "We will share more stories from the {team} over the coming months.",
]


def _slugify(text: str) -> str:
    """Close enough to Pelican's slugify to keep generated stories' addresses unique."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9£]+", text))


def _related_values(source_stories: Path) -> dict[str, list[str]]:
    """Related_role and Related_stage ids the real stories use, so generated ones are valid."""
    found: dict[str, set[str]] = {"Related_role": set(), "Related_stage": set()}
    for file in sorted(source_stories.glob("*.md")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            if key.strip() in found and value.strip():
                found[key.strip()].add(value.strip())
    return {k: sorted(v) for k, v in found.items()}


def generate_stories(n: int, folder: Path, source: Path, seed: int = SEED, pictures: bool = False) -> None:
    """With pictures, story i shows photo i // PICTURE_EVERY + 1 (content/images/photo-NNNN.jpg);
    otherwise the stories are the same, byte for byte, but for those two lines."""
    rng = random.Random(seed)
    related = _related_values(source / "content" / "stories")
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    start, end = dt.date(2019, 1, 7), dt.date(2026, 10, 30)
    span = (end - start).days
    seen_slugs: set[str] = set()
    folder.mkdir(parents=True)
    for i in range(n):
        name = rng.choice(NAMES)
        words = {
            "name": name, "team": rng.choice(TEAMS), "years": rng.randint(2, 15),
            "role": rng.choice(ROLES), "role2": rng.choice(ROLES), "topic": rng.choice(TOPICS),
        }
        words["topic_cap"] = words["topic"][0].upper() + words["topic"][1:]
        title = rng.choice(TITLE_TEMPLATES).format(**words)
        if _slugify(title) in seen_slugs:
            title = f"{title}, part {i + 1}"
        seen_slugs.add(_slugify(title))
        date = start + dt.timedelta(days=rng.randrange(span))
        tags = pick_tags(rng)
        header = [
            f"Title: {title}",
            f"Date: {date.isoformat()}",
            f"Summary: {rng.choice(SUMMARY_TEMPLATES).format(**words)}",
            f"Kind: {rng.choices(kinds, weights)[0]}",
            f"Tags: {', '.join(tags)}",
        ]
        if pictures:  # no random draws here, so the rest is as without pictures
            photo = i // PICTURE_EVERY + 1
            header += [f"Image: content/images/{photo_name(photo)}",
                       f"Image_alt: Colleagues talking in a bright office, photo {photo}"]
        if rng.random() < 0.7:
            header.append(f"Author_role: {rng.choice(AUTHOR_ROLES)}")
        for key in ("Related_role", "Related_stage"):
            if related[key] and rng.random() < 0.4:
                header.append(f"{key}: {rng.choice(related[key])}")
        # Consent and approval on or before the story's date, and consent still in date
        # at the build date, so that every story passes the publication check.
        approved = date - dt.timedelta(days=rng.randint(1, 14))
        consented = approved - dt.timedelta(days=rng.randint(5, 60))
        expires = dt.date(2027, 3, 1) + dt.timedelta(days=rng.randrange(1000))
        header += [
            f"Consent_given_by: {rng.choice(CONSENT_GIVERS)}",
            f"Consent_date: {consented.isoformat()}",
            f"Consent_scope: {rng.choice(CONSENT_SCOPES)}",
            f"Consent_expires: {expires.isoformat()}",
            f"Consent_reference: CON-{consented.year}-{i + 1:05d}",
            f"Approved_by: {rng.choice(APPROVERS)}",
            f"Approved_on: {approved.isoformat()}",
            f"Pseudonyms: {rng.choice(['yes', 'no'])}",
        ]

        deck: list[str] = []

        def paragraph(k: int, deck: list[str] = deck, words: dict[str, str] = words) -> str:
            """k sentences, none repeated until the story has used them all."""
            chosen = []
            for _ in range(k):
                if not deck:
                    deck.extend(rng.sample(SENTENCES, len(SENTENCES)))
                chosen.append(deck.pop().format(**words))
            return " ".join(chosen)

        target = rng.randint(300, 470)
        headings = rng.sample(HEADINGS, 2)
        blocks = [
            paragraph(rng.randint(3, 4)),
            rng.choice(QUOTES).format(**words),
            f"## {headings[0]}",
            paragraph(rng.randint(2, 4)),
            rng.choice(LIST_INTROS) + "\n\n"
            + "\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, rng.randint(3, 5))),
            f"## {headings[1]}",
        ]
        closing = rng.choice(CLOSINGS).format(**words)
        while _words("\n".join(blocks)) + _words(closing) < target:
            blocks.append(paragraph(rng.randint(2, 4)))
        blocks.append(closing)
        text = "\n".join(header) + "\n\n" + "\n\n".join(blocks) + "\n"
        file = folder / f"{date.isoformat()}-{_slugify(title)[:60].strip('-')}.md"
        if file.exists():
            file = file.with_name(f"{file.stem}-{i + 1}.md")
        file.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# Sites


SNAPSHOT = ("cswork_site", "data", "content", "theme", "pelicanconf.py")


def take_snapshot(work: Path, python: str) -> Path:
    """Copy the code and the demo site as they are now into WORK/source, and compile the
    code's bytecode, as installing a package does.

    Every N is built from this copy, and cswork runs with WORK/source first on
    PYTHONPATH, so a benchmark measures one version of the code even if files in the
    repository are edited while it runs. Pelican, installed by pip, has its bytecode;
    without compiling the copy, cswork would compile its own modules in every run
    wherever PYTHONDONTWRITEBYTECODE is set (Python then never keeps bytecode it makes).
    """
    source = work / "source"
    TRASH.set_aside(source)
    source.mkdir(parents=True)
    for name in SNAPSHOT:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    subprocess.run([python, "-m", "compileall", "-q", str(source / "cswork_site")], check=True,
                   stdout=subprocess.DEVNULL)
    return source


def photo_name(number: int) -> str:
    return f"photo-{number:04d}.jpg"  # as benchmarks/photos.py names them


def photos_needed(n: int) -> int:
    return (n + PICTURE_EVERY - 1) // PICTURE_EVERY


def make_photos(count: int, work: Path, python: str) -> Path:
    """WORK/photos/photo-0001.jpg ...: photo-like 1600x1200 JPEGs from a fixed seed,
    made by benchmarks/photos.py (it needs Pillow, so it runs in --python)."""
    folder = work / "photos"
    TRASH.set_aside(folder)
    print(f"making {count} photos in {folder} ...", flush=True)
    subprocess.run([python, str(REPO / "benchmarks" / "photos.py"), str(folder), str(count)], check=True)
    return folder


def case_name(n: int, pictures: bool) -> str:
    return f"{n}-pictures" if pictures else str(n)


def make_cswork_site(n: int, work: Path, source: Path, photos: Path | None = None) -> Path:
    site = work / f"cswork-{case_name(n, photos is not None)}"
    TRASH.set_aside(site)
    site.mkdir(parents=True)
    shutil.copytree(source / "data", site / "data")
    shutil.copytree(source / "theme", site / "theme")
    shutil.copytree(source / "content", site / "content",
                    ignore=lambda d, names: ["stories"] if Path(d) == source / "content" else [])
    shutil.copy2(source / "pelicanconf.py", site / "pelicanconf.py")
    generate_stories(n, site / "content" / "stories", source, pictures=photos is not None)
    if photos is not None:
        for number in range(1, photos_needed(n) + 1):
            shutil.copy2(photos / photo_name(number), site / "content" / "images" / photo_name(number))
    return site


def make_plain_site(name: str, work: Path, cswork_site: Path) -> Path:
    """content/ is copied whole, pictures too: Pelican copies content/images/ (its
    default STATIC_PATHS) into the output as they are, and ignores the Image lines."""
    site = work / f"plain-{name}"
    TRASH.set_aside(site)
    site.mkdir(parents=True)
    shutil.copytree(cswork_site / "content", site / "content")  # the same Markdown files
    (site / "pelicanconf.py").write_text(PLAIN_PELICANCONF, encoding="utf-8")
    return site


# ---------------------------------------------------------------------------
# Timing


SETTLE_SECONDS = 2.0  # after os.sync(), before each timed run
# ext4 without a journal skips, when it makes a file or folder, every free inode of the
# block group that was freed less than 60 seconds ago (360 if its inode table is not yet
# written out); see recently_deleted() in fs/ext4/ialloc.c. So for a minute after many
# files are deleted, each file made near them costs a scan past all of them.
RECENTLY_DELETED_SECONDS = 61.0


class Trash:
    """Folders that earlier runs wrote are moved into WORK/trash (a rename frees nothing),
    not deleted, while anything is timed; the trash is emptied when the timing is over.
    Deleting them between runs would make every later run pay for the files deleted in
    the minute before it, on file systems such as ext4 without a journal, and the more
    files a build makes, the more it would pay. `settle` waits out that minute after the
    script's own deletions, and syncs, so no run pays for what an earlier one left."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.count = 0
        self.last_deletion: float | None = None

    def use(self, folder: Path) -> None:
        self.folder = folder
        self.empty()  # what an interrupted benchmark left

    def set_aside(self, path: Path) -> None:
        if not path.exists():
            return
        if self.folder is None:
            raise RuntimeError("Trash.use() first")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        os.rename(path, self.folder / f"{self.count}-{path.name}")

    def empty(self) -> None:
        if self.folder is not None and self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
            self.last_deletion = time.monotonic()

    def settle(self) -> None:
        if hasattr(os, "sync"):
            os.sync()
        wait = SETTLE_SECONDS
        if self.last_deletion is not None:
            wait = max(wait, RECENTLY_DELETED_SECONDS - (time.monotonic() - self.last_deletion))
        time.sleep(wait)


TRASH = Trash()
PSS_SECONDS = 0.2  # how often each process's PSS is read again (RSS: every sample)
SAMPLE_SECONDS = 0.02
_PROC = Path("/proc")
_CHILDREN_FILES = (_PROC / str(os.getpid()) / "task" / str(os.getpid()) / "children").exists()


def _descendants(root: int) -> list[int]:
    """root and every process below it, from /proc; [] without /proc."""
    if not _PROC.is_dir():
        return []
    if _CHILDREN_FILES:
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                tasks = list((_PROC / str(pid) / "task").iterdir())
            except OSError:  # it has just exited
                continue
            for task in tasks:
                try:
                    todo += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    pass
        return found
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name, in (), may hold spaces
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _rss_kb(pid: int) -> int | None:
    """A process's resident set in kB (VmRSS, read from the cheaper statm), or None if
    it has gone or is a zombie."""
    try:
        pages = int((_PROC / str(pid) / "statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * _PAGE_KB or None


def _statm(pid: int) -> str | None:
    try:
        return (_PROC / str(pid) / "statm").read_text()
    except OSError:
        return None


def _pss_kb(pid: int) -> int | None:
    """A process's proportional set size in kB: its own pages, plus each page it shares
    divided by the number of processes sharing it, so a tree's total counts every page
    once (a forked worker shares most of its memory with its parent). None without
    /proc/PID/smaps_rollup (Linux before 4.14)."""
    try:
        with open(_PROC / str(pid) / "smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return None


def _name(pid: int) -> str:
    try:
        return (_PROC / str(pid) / "comm").read_text().strip()
    except OSError:
        return "?"


class TreeSampler(threading.Thread):
    """Sample the resident sets of a process and its descendants every SAMPLE_SECONDS."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.done = threading.Event()
        self.tree_kb = 0  # the largest sum over the tree at one sample
        self.largest_kb = 0  # the largest single process
        self.by_name: dict[str, int] = {}  # the largest resident set seen for each program
        self.names: dict[int, str] = {}  # pid -> program, read once
        self.most_processes = 0
        self.pss: dict[int, tuple[float, int | None, int]] = {}  # pid -> (when, PSS, RSS then), kB
        self.last_pids: set[int] = set()
        self.samples = 0
        self.cpu_seconds = 0.0  # what sampling itself cost

    def run(self) -> None:
        while True:
            self.sample()
            if self.done.wait(SAMPLE_SECONDS):
                break
        self.cpu_seconds = time.thread_time()

    def sample(self) -> None:
        pids = _descendants(self.pid)
        # A child between vfork and exec runs in its parent's memory: its statm is the
        # parent's, and counting it would count the parent twice.
        root = _statm(self.pid)
        pids = [pid for pid in pids if pid == self.pid or root is None or _statm(pid) != root]
        sizes = [(pid, kb) for pid in pids if (kb := _rss_kb(pid))]
        if not sizes:
            return
        self.samples += 1
        self.most_processes = max(self.most_processes, len(sizes))
        # When a process starts or ends, pages change hands (a forked child shares its
        # parent's): read every PSS afresh, or the total would count them twice.
        current = {pid for pid, _ in sizes}
        if current != self.last_pids:
            self.pss.clear()
            self.last_pids = current
        shared = [self._pss(pid, kb) for pid, kb in sizes]
        if all(kb is not None for kb in shared):
            total = sum(shared)  # type: ignore[arg-type]
        else:
            total = sum(kb for _, kb in sizes)
        self.tree_kb = max(self.tree_kb, total, max(kb for _, kb in sizes))
        for pid, kb in sizes:
            self.largest_kb = max(self.largest_kb, kb)
            if pid not in self.names or (pid != self.pid and self.names[pid].startswith("python")):
                # A child forked by the build has its parent's name until it execs a
                # program, so read it again. (Popen returns only after its own child
                # has exec'd, so the build process's name is right the first time.)
                self.names[pid] = _name(pid)
            name = self.names[pid]
            self.by_name[name] = max(self.by_name.get(name, 0), kb)

    def _pss(self, pid: int, rss_kb: int) -> int | None:
        """PSS is costly to read (the kernel walks the process's page tables), so each
        process's is read again only every PSS_SECONDS; in between, what its RSS has
        grown by since is added to the last PSS read."""
        now = time.monotonic()
        cached = self.pss.get(pid)
        if cached is None or now - cached[0] >= PSS_SECONDS:
            cached = (now, _pss_kb(pid), rss_kb)
            self.pss[pid] = cached
        _, pss, rss_then = cached
        return None if pss is None else pss + max(0, rss_kb - rss_then)

    def stop(self) -> None:
        self.done.set()
        self.join()


@dataclass
class Run:
    seconds: float
    tree_mb: float  # peak RSS of the process tree (the largest sum at one sample, or ru_maxrss)
    largest_mb: float  # peak RSS of the largest single process
    note: str = ""  # what the sampler saw, for the progress lines
    cpu_seconds: float = 0.0  # user + system, of the build and every descendant it waited for

    def describe(self) -> str:
        return (f"{self.seconds:7.2f} s, {self.cpu_seconds:7.2f} s CPU  {self.tree_mb:6.0f} MB tree, "
                f"{self.largest_mb:4.0f} MB largest process"
                + (f"  ({self.note})" if self.note else ""))


@dataclass
class Result:
    n: int
    pictures: bool = False
    cswork: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    rebuild: list[Run] = field(default_factory=list)
    data_rebuild: list[Run] = field(default_factory=list)
    cswork_html: int = 0
    plain_html: int = 0

    @property
    def label(self) -> str:
        return f"{self.n} with photos" if self.pictures else str(self.n)

    def median(self, which: str) -> float:
        return statistics.median(r.seconds for r in getattr(self, which))

    def median_cpu(self, which: str) -> float:
        return statistics.median(r.cpu_seconds for r in getattr(self, which))

    def peak(self, which: str, what: str = "tree_mb") -> float:
        """The largest over the timed runs; cswork's include its rebuilds."""
        runs = self.cswork + self.rebuild + self.data_rebuild if which == "cswork" else getattr(self, which)
        return max(getattr(r, what) for r in runs)

    def ratio(self) -> float:
        return statistics.median(a.seconds / b.seconds for a, b in zip(self.cswork, self.plain, strict=True))

    def rebuild_ratio(self, which: str = "rebuild") -> float:
        return self.median(which) / self.median("cswork")


def run_once(cmd: list[str], log: Path, cwd: Path, env: dict[str, str], delete: list[Path] | None = None) -> Run:
    """Set aside the folders in `delete`, then run cmd once: wall-clock seconds and peak memory."""
    for folder in delete or []:
        TRASH.set_aside(folder)
        if folder.exists():
            sys.exit(f"could not move {folder} aside before a cold build")
    TRASH.settle()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(errors="replace").splitlines()[-20:]
        sys.exit(f"failed (exit {code}): {' '.join(cmd)}\n  " + "\n  ".join(tail) + f"\n(full log: {log})")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    maxrss_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    note = ""
    if sampler.samples:
        programs = sorted(sampler.by_name.items(), key=lambda item: -item[1])
        note = (f"{sampler.samples} samples, up to {sampler.most_processes} processes: "
                + ", ".join(f"{name} {kb / 1024:.0f} MB" for name, kb in programs)
                + f"; sampling used {sampler.cpu_seconds * 1000:.0f} ms CPU")
    return Run(seconds, max(sampler.tree_kb, maxrss_kb) / 1024, max(sampler.largest_kb, maxrss_kb) / 1024, note,
               usage.ru_utime + usage.ru_stime)


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def story_pages(folder: Path) -> int:
    return sum(1 for p in (folder / "stories").glob("*/*/index.html") if re.fullmatch(r"\d{4}", p.parent.parent.name))


def child_env(source: Path) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    env.pop("CSWORK_DEBUG", None)
    return env


def check_snapshot_is_used(python: str, source: Path) -> None:
    found = subprocess.run([python, "-c", "import cswork_site; print(cswork_site.__file__)"], cwd=source.parent,
                           env=child_env(source), capture_output=True, text=True).stdout.strip()
    if not found or not Path(found).resolve().is_relative_to(source.resolve()):
        sys.exit(f"{python} imports cswork_site from {found or 'nowhere'}, not from the copy in {source}; "
                 "is cswork_site installed in that Python?")


# ---------------------------------------------------------------------------
# Changing one story


def story_to_change(site: Path) -> Path:
    """The middle one of the sorted story files."""
    stories = sorted((site / "content" / "stories").glob("*.md"))
    return stories[len(stories) // 2]


def change_story(story: Path, rng: random.Random) -> str:
    """Append a paragraph with a sentence no earlier run wrote; return a word only it holds.

    The word is made of letters only, so it cannot look like a date, a phone number or
    a postcode to cswork's identifying-details scan.
    """
    before = story.read_bytes()
    while True:
        marker = "rebuildcheck" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
        if marker.encode() not in before:
            break
    sentence = f"The team added this note later, and the check word for it is {marker}."
    story.write_bytes(before.rstrip(b"\n") + b"\n\n" + sentence.encode() + b"\n")
    if marker.encode() not in story.read_bytes():
        sys.exit(f"could not change {story}")
    return marker


def check_rebuilt_page(out: Path, story: Path, marker: str, log: Path) -> Path:
    """The one story page in out that holds marker; stop if there is not exactly one."""
    year = story.name[:4]  # story files are named DATE-SLUG.md
    pages = [p for p in (out / "stories" / year).glob("*/index.html") if marker in p.read_text(encoding="utf-8")]
    if len(pages) != 1:
        sys.exit(f"after changing {story} the rebuilt site has {len(pages)} story pages holding its new "
                 f"sentence ({marker}), not 1: the rebuild did not pick up the change; see {log}")
    return pages[0]


# ---------------------------------------------------------------------------
# Changing one data file

DATA_FILE = "data/events.yaml"


def change_data(site: Path, rng: random.Random) -> str:
    """Add a sentence with a new check word to the first event's summary in
    data/events.yaml (a folded block, `summary: >-`); return the word."""
    path = site / DATA_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "summary: >-")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    last = start + 1
    while last + 1 < len(lines) and lines[last + 1].startswith(" " * indent) and lines[last + 1].strip():
        last += 1
    marker = "datacheck" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))
    lines.insert(last + 1, " " * indent + f"The check word for this change is {marker}.")
    path.write_text("\n".join(lines), encoding="utf-8")
    return marker


def check_data_change(out: Path, marker: str, log: Path) -> None:
    if not any(marker in p.read_text(encoding="utf-8") for p in (out / "events").rglob("*.html")):
        sys.exit(f"after changing {DATA_FILE} no events page in the rebuilt site holds {marker}: "
                 f"the rebuild did not pick up the change; see {log}")


def bench(n: int, runs: int, warmup: int, work: Path, python: str, source: Path,
          photos: Path | None = None) -> Result:
    name = case_name(n, photos is not None)
    print(f"N={n}{' with photos' if photos else ''}: generating sites in {work} ...", flush=True)
    cswork_site = make_cswork_site(n, work, source, photos)
    plain_site = make_plain_site(name, work, cswork_site)
    cswork_out, plain_out = work / "out" / f"cswork-{name}", work / "out" / f"plain-{name}"
    env = child_env(source)
    cswork_cmd = [python, "-m", "cswork_site", "build", str(cswork_site), "-o", str(cswork_out)]
    commands = {
        # command, working folder, and what to delete before a cold build
        "cswork": (cswork_cmd, cswork_site, [cswork_out, cswork_out.parent / f".{cswork_out.name}.spare",
                                             cswork_site / ".cswork-cache", cswork_site / "cache"]),
        "plain": ([python, "-m", "pelican", str(plain_site / "content"), "-s", str(plain_site / "pelicanconf.py"),
                   "-o", str(plain_out)], plain_site, [plain_out, plain_site / "cache"]),
    }
    logs = work / "logs"
    result = Result(n, photos is not None)
    for i in range(warmup):
        for which, (cmd, cwd, delete) in commands.items():
            run = run_once(cmd, logs / f"{which}-{name}-warmup{i + 1}.log", cwd, env, delete)
            print(f"  warm-up {which:6}: {run.describe()}", flush=True)
    for i in range(runs):
        for which, (cmd, cwd, delete) in commands.items():
            run = run_once(cmd, logs / f"{which}-{name}-run{i + 1}.log", cwd, env, delete)
            getattr(result, which).append(run)
            print(f"  run {i + 1}   {which:6}: {run.describe()}", flush=True)
    result.cswork_html, result.plain_html = count_html(cswork_out), count_html(plain_out)
    written = story_pages(cswork_out)
    if written != n:
        sys.exit(f"cswork wrote {written} story pages for {n} stories; see {logs}")
    if photos is not None:
        shown = len(list((cswork_out / "media").glob("*/1280.webp")))
        copied = len(list((plain_out / "images").glob("photo-*.jpg")))
        if shown < photos_needed(n) or copied != photos_needed(n):
            sys.exit(f"cswork published {shown} photos and Pelican copied {copied}, not {photos_needed(n)}; "
                     f"see {logs}")
    warnings = [line for line in (logs / f"cswork-{name}-run{runs}.log").read_text().splitlines()
                if "warning:" in line]
    if warnings:
        print(f"  cswork printed {len(warnings)} warning(s), e.g. {warnings[0]}")

    # Rebuilds: a fresh cold build leaves the output and the cache in place, then one
    # story changes before each timed build, and nothing is deleted.
    run = run_once(cswork_cmd, logs / f"cswork-{name}-before-rebuilds.log", cswork_site, env, commands["cswork"][2])
    print(f"  cold build before the rebuilds: {run.describe()}", flush=True)
    story = story_to_change(cswork_site)
    rng = random.Random()  # not seeded: every benchmark writes new sentences
    print(f"  changing {story.relative_to(cswork_site)} before each rebuild", flush=True)
    for i in range(runs):
        marker = change_story(story, rng)
        log = logs / f"cswork-{name}-rebuild{i + 1}.log"
        run = run_once(cswork_cmd, log, cswork_site, env)
        page = check_rebuilt_page(cswork_out, story, marker, log)
        result.rebuild.append(run)
        print(f"  rebuild {i + 1} cswork: {run.describe()}; {page.relative_to(cswork_out)} has the new sentence",
              flush=True)
    # Rebuilds after a data file changes: every page drawn from the data, and every page
    # whose key holds the data (all of them), is made again; the stories' work is kept.
    print(f"  changing {DATA_FILE} before each rebuild", flush=True)
    for i in range(runs):
        marker = change_data(cswork_site, rng)
        log = logs / f"cswork-{name}-data-rebuild{i + 1}.log"
        run = run_once(cswork_cmd, log, cswork_site, env)
        check_data_change(cswork_out, marker, log)
        result.data_rebuild.append(run)
        print(f"  data rebuild {i + 1} cswork: {run.describe()}", flush=True)
    if story_pages(cswork_out) != n:
        sys.exit(f"after the rebuilds cswork's output has {story_pages(cswork_out)} story pages for {n} "
                 f"stories; see {logs}")
    return result


# ---------------------------------------------------------------------------
# Reporting

HEADER = ["Stories", "cswork build (s)", "Plain Pelican (s)", "Ratio cswork/Pelican", "Rebuild, story (s)",
          "Rebuild/cold", "Rebuild, data (s)", "Data rebuild/cold", "cswork CPU (s)", "Pelican CPU (s)",
          "cswork peak RSS (MB), process tree",
          "cswork peak RSS (MB), largest process", "Pelican peak RSS (MB), process tree", "cswork HTML files",
          "Pelican HTML files"]

# (story count, the most cswork/Pelican may be, cold, without pictures)
COLD_RATIO_TARGETS = ((60, 1.5), (1000, 1.0), (5000, 1.0))
PICTURES_RATIO_TARGET = (1000, 12.0)  # with a photo per PICTURE_EVERY stories
PICTURES_REBUILD_SLACK = 0.10  # a rebuild with pictures at most this much slower than one without
REBUILD_TARGET = (5000, 0.10)
DATA_REBUILD_TARGET = (5000, 0.25)
LINEAR_SLACK = 1.1
MEMORY_TARGET_MB = 300


def rows(results: list[Result]) -> list[list[str]]:
    return [[r.label, f"{r.median('cswork'):.2f}", f"{r.median('plain'):.2f}", f"{r.ratio():.2f}x",
             f"{r.median('rebuild'):.2f}", f"{r.rebuild_ratio():.2f}", f"{r.median('data_rebuild'):.2f}",
             f"{r.rebuild_ratio('data_rebuild'):.2f}", f"{r.median_cpu('cswork'):.1f}",
             f"{r.median_cpu('plain'):.1f}", f"{r.peak('cswork'):.0f}",
             f"{r.peak('cswork', 'largest_mb'):.0f}", f"{r.peak('plain'):.0f}", str(r.cswork_html),
             str(r.plain_html)]
            for r in results]


def targets(results: list[Result]) -> list[str]:
    """One line per target: the target, then whether it is met and by what figures."""
    plain = {r.n: r for r in results if not r.pictures}
    photos = {r.n: r for r in results if r.pictures}

    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    def missing(target: str, what: str) -> str:
        return f"{target}: not measured (no {what} run)."

    lines = []
    for n, most in COLD_RATIO_TARGETS:
        target = f"Cold cswork build at most {most}x plain Pelican at N={n}, without photos"
        r = plain.get(n)
        lines.append(missing(target, f"N={n}") if r is None else
                     f"{target}: {verdict(r.ratio() <= most)}, {r.ratio():.2f}x "
                     f"({r.median('cswork'):.2f} s against {r.median('plain'):.2f} s).")
    n, most = PICTURES_RATIO_TARGET
    target = f"Cold cswork build at most {most:g}x plain Pelican at N={n} with a photo per {PICTURE_EVERY} stories"
    r = photos.get(n)
    lines.append(missing(target, f"N={n} with photos") if r is None else
                 f"{target}: {verdict(r.ratio() <= most)}, {r.ratio():.2f}x "
                 f"({r.median('cswork'):.2f} s against {r.median('plain'):.2f} s).")
    for n in sorted(photos):
        target = (f"Rebuild after changing one story, with photos, at most {PICTURES_REBUILD_SLACK:.0%} slower "
                  f"than without at N={n}")
        if n not in plain:
            lines.append(missing(target, f"N={n} without photos"))
            continue
        with_, without = photos[n].median("rebuild"), plain[n].median("rebuild")
        lines.append(f"{target}: {verdict(with_ <= (1 + PICTURES_REBUILD_SLACK) * without)}, "
                     f"{with_:.2f} s against {without:.2f} s ({with_ / without - 1:+.0%}).")
    for which, (n, most), what in (("rebuild", REBUILD_TARGET, "one story"),
                                   ("data_rebuild", DATA_REBUILD_TARGET, f"one data file ({DATA_FILE})")):
        for r in results:
            judged = r.n == n and not r.pictures
            lines.append(f"Rebuild after changing {what} at most {most} of cswork's cold build at N={r.label}"
                         + (": " + verdict(r.rebuild_ratio(which) <= most) if judged else " (for information)")
                         + f", {r.rebuild_ratio(which):.2f} ({r.median(which):.2f} s against "
                         f"{r.median('cswork'):.2f} s).")
        if n not in plain:
            lines.append(missing(f"Rebuild after changing {what} at most {most} of cswork's cold build at N={n}",
                                 f"N={n}"))
    target = "Growth no worse than linear from 1000 to 5000 stories"
    if 1000 in plain and 5000 in plain:
        small, large = plain[1000].median("cswork") / 1000, plain[5000].median("cswork") / 5000
        lines.append(f"{target} (time per story at N=5000 at most {LINEAR_SLACK}x that at N=1000): "
                     f"{verdict(large <= LINEAR_SLACK * small)}, {large * 1000:.2f} ms per story against "
                     f"{small * 1000:.2f} ms ({large / small:.2f}x).")
    else:
        lines.append(f"{target}: not measured (needs both N=1000 and N=5000).")
    target = f"Peak memory at most {MEMORY_TARGET_MB} MB at N=5000 (cswork's process tree)"
    r = plain.get(5000)
    lines.append(missing(target, "N=5000") if r is None else
                 f"{target}: {verdict(r.peak('cswork') <= MEMORY_TARGET_MB)}, {r.peak('cswork'):.0f} MB.")
    return lines


def text_table(results: list[Result]) -> str:
    table = [HEADER] + rows(results)
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in table)


def environment(python: str) -> str:
    probe = ("import importlib.metadata as m, platform; "
             "print(platform.python_version(), m.version('pelican'), m.version('markdown'), m.version('cswork-site'))")
    try:
        py, pelican, markdown, cswork = subprocess.run([python, "-c", probe], capture_output=True, text=True,
                                                       check=True).stdout.split()
    except (subprocess.CalledProcessError, ValueError):
        return f"{platform.system()}, {os.cpu_count()} CPU cores"
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores; Python {py}, "
            f"Pelican {pelican}, Markdown {markdown}, cswork-site {cswork}{source_version()}")


def source_version() -> str:
    """The commit the measured code came from, when this is a git checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *SNAPSHOT],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return f" (commit {commit}{', with uncommitted changes' if dirty else ''})"


def markdown_section(results: list[Result], runs: int, warmup: int, command: str, about: str) -> str:
    lines = [
        START_MARKER,
        "",
        f"Measured on {dt.date.today().isoformat()} with `{command}`.",
        f"{about}. {warmup} untimed warm-up build of each, then {runs} timed cold builds "
        f"of each, alternating, then {runs} timed cswork rebuilds, each after changing one story, "
        f"then {runs} after changing {DATA_FILE}; "
        "times are medians, the cswork/Pelican ratio is the median of the per-pair ratios, "
        "rebuild/cold is the median rebuild over cswork's median cold build, and peak RSS is the "
        "largest of the timed runs (for cswork, cold builds and rebuilds). "
        f"\"with photos\": a distinct 1600x1200 photo per {PICTURE_EVERY} stories.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---:" for _ in HEADER) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    lines.append("")
    for r in results:
        lines.append(f"Individual runs at N={r.label} (seconds): cswork "
                     + ", ".join(f"{x.seconds:.2f}" for x in r.cswork)
                     + "; plain Pelican " + ", ".join(f"{x.seconds:.2f}" for x in r.plain)
                     + "; cswork rebuilds after a story changed " + ", ".join(f"{x.seconds:.2f}" for x in r.rebuild)
                     + "; after the data file changed " + ", ".join(f"{x.seconds:.2f}" for x in r.data_rebuild)
                     + ".")
        lines.append("")
    lines.append("Targets:")
    lines.append("")
    lines += [f"- {line}" for line in targets(results)]
    lines.append("")
    lines.append(END_MARKER)
    return "\n".join(lines) + "\n"


def write_output(path: Path, section: str) -> None:
    if path.exists():
        text = path.read_text(encoding="utf-8")
        start, end = text.find(START_MARKER), text.find(END_MARKER)
        if start != -1 and end > start:
            rest = text[end + len(END_MARKER):].lstrip("\n")
            text = text[:start] + section + ("\n" + rest if rest else "")
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        text = "# Build performance\n\n" + section
    path.write_text(text, encoding="utf-8")


def story_counts(values: list[str]) -> list[int]:
    counts: list[int] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                n = int(part)
                if n < 1:
                    raise argparse.ArgumentTypeError("--stories must be at least 1")
                if n not in counts:
                    counts.append(n)
    return counts


def _shown(path: Path) -> str:
    """A path as the reproducing command gives it: within the repository, relative to it."""
    resolved = path.resolve()
    return os.path.relpath(resolved, REPO) if resolved.is_relative_to(REPO) else str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", action="append", metavar="N",
                        help="story count; repeat it or give a comma list (default 1000)")
    parser.add_argument("--pictures", action="append", metavar="N",
                        help=f"story counts to measure also with a photo per {PICTURE_EVERY} stories "
                             "(comma list or repeated; default none)")
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed builds of each first (default 1)")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work",
                        help="folder for generated sites and outputs (default benchmarks/work)")
    parser.add_argument("--output", type=Path, help="write the results as Markdown to this file")
    parser.add_argument("--python", default=sys.executable,
                        help="Python with cswork_site and Pelican installed (default: this one)")
    args = parser.parse_args()
    try:
        counts = story_counts(args.stories or ["1000"])
        with_photos = story_counts(args.pictures or [])
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(f"--stories/--pictures: {exc}")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    work = args.work.resolve()
    if REPO in (work, *work.parents) and not work.is_relative_to(REPO / "benchmarks"):
        parser.error("--work inside the repository must be under benchmarks/")

    about = environment(args.python)
    TRASH.use(work / "trash")
    source = take_snapshot(work, args.python)
    check_snapshot_is_used(args.python, source)
    try:
        photos = make_photos(photos_needed(max(with_photos)), work, args.python) if with_photos else None
        results = []
        for n in counts + [n for n in with_photos if n not in counts]:
            if n in counts:
                results.append(bench(n, args.runs, args.warmup, work, args.python, source))
            if n in with_photos:
                results.append(bench(n, args.runs, args.warmup, work, args.python, source, photos))
    finally:
        TRASH.empty()
    print()
    print(text_table(results))
    print()
    print("Targets:")
    for line in targets(results):
        print(f"  {line}")
    if args.output:
        command = "python benchmarks/bench_build.py " + " ".join(
            [f"--stories {','.join(map(str, counts))}"]
            + ([f"--pictures {','.join(map(str, with_photos))}"] if with_photos else [])
            + [f"--runs {args.runs}"]
            + ([f"--warmup {args.warmup}"] if args.warmup != 1 else [])
            + [f"--output {_shown(args.output)}"])
        write_output(args.output, markdown_section(results, args.runs, args.warmup, command, about))
        print(f"\nWrote the results to {args.output}")


if __name__ == "__main__":
    main()
