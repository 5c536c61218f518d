#!/usr/bin/env python3
"""Time a cold cswork build against a plain Pelican build of the same stories.

For each story count N this script:

0. copies cswork_site/, data/, content/, theme/ and pelicanconf.py into WORK/source
   once, at the start; everything below uses that copy, and cswork runs with
   WORK/source first on PYTHONPATH, so one benchmark measures one version of the
   code even if the repository is edited while it runs;
1. makes a fresh cswork site folder, WORK/cswork-N, from that copy's data/,
   content/ (with content/stories/ replaced by N generated stories), theme/ and
   pelicanconf.py. The stories are generated from a fixed seed, so every run writes
   the same files: valid story metadata (Title, Date, Summary, Kind, Tags, consent and
   approval lines that make every story publishable, and sometimes Author_role,
   Related_role and Related_stage), unique titles, dates spread from 2019 to 2026,
   22 distinct tags, and Markdown bodies of roughly 300 to 500 words with a few
   paragraphs, "##" headings and a list;
2. makes a plain Pelican site, WORK/plain-N, whose content/ folder is a byte-for-byte
   copy of the cswork site's content/ (the same Markdown files), with a minimal
   pelicanconf.py: Pelican's default theme, no plugins, default settings otherwise
   (only PATH, ARTICLE_PATHS = ["stories"], SITENAME and TIMEZONE are set);
3. builds each once without timing (a warm-up), then times R cold builds of each,
   alternating cswork, Pelican, cswork, Pelican, ...; it stops if any build fails,
   and checks at the end that cswork wrote one page per story:

       cswork:  PYTHON -m cswork_site build WORK/cswork-N -o WORK/out/cswork-N
       Pelican: PYTHON -m pelican WORK/plain-N/content -s WORK/plain-N/pelicanconf.py
                                  -o WORK/out/plain-N

   The output folder is deleted before every run (outside the timed part), so each
   build is cold. Both run with SOURCE_DATE_EPOCH=1793491200 and with Pelican's
   content cache off (its default; neither configuration turns it on). Wall-clock
   time is time.perf_counter() around starting the child and waiting for it; peak
   memory is the child's own maximum resident set size, read with os.wait4();
4. prints one row per N: median seconds for each, the median of the per-pair ratios
   (cswork run i / Pelican run i), and the peak RSS of each (the largest of the runs).

Standard library only. Run it with the Python in which cswork_site is installed
(or point --python at it). From the repository root:

    python benchmarks/bench_build.py --stories 1000 --runs 3
    python benchmarks/bench_build.py --stories 1000 --runs 3 --output docs/performance.md
    python benchmarks/bench_build.py --stories 1000,5000 --runs 3

--output writes the results as Markdown. If the file already exists, only the part
between the two marker comments is replaced (the markers are added at the end of the
file if it has none), so hand-written text around the results is kept.

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

TAGS = [
    "careers", "ASYE", "learning", "practice", "families", "restorative practice",
    "wellbeing", "returners", "agency to permanent", "young people", "children in care",
    "care leavers", "fostering", "supervision", "caseloads", "pay", "flexible working",
    "management", "students", "participation", "early help", "awards",
]

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


def generate_stories(n: int, folder: Path, source: Path, seed: int = SEED) -> None:
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
        tags = rng.sample(TAGS, rng.randint(2, 4))
        header = [
            f"Title: {title}",
            f"Date: {date.isoformat()}",
            f"Summary: {rng.choice(SUMMARY_TEMPLATES).format(**words)}",
            f"Kind: {rng.choices(kinds, weights)[0]}",
            f"Tags: {', '.join(tags)}",
        ]
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

        def paragraph(k: int) -> str:
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
            rng.choice(LIST_INTROS) + "\n\n" + "\n".join(f"- {item}" for item in rng.sample(LIST_ITEMS, rng.randint(3, 5))),
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


def take_snapshot(work: Path) -> Path:
    """Copy the code and the demo site as they are now into WORK/source.

    Every N is built from this copy, and cswork runs with WORK/source first on
    PYTHONPATH, so a benchmark measures one version of the code even if files in the
    repository are edited while it runs.
    """
    source = work / "source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for name in SNAPSHOT:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    return source


def make_cswork_site(n: int, work: Path, source: Path) -> Path:
    site = work / f"cswork-{n}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(source / "data", site / "data")
    shutil.copytree(source / "theme", site / "theme")
    shutil.copytree(source / "content", site / "content",
                    ignore=lambda d, names: ["stories"] if Path(d) == source / "content" else [])
    shutil.copy2(source / "pelicanconf.py", site / "pelicanconf.py")
    generate_stories(n, site / "content" / "stories", source)
    return site


def make_plain_site(n: int, work: Path, cswork_site: Path) -> Path:
    site = work / f"plain-{n}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(cswork_site / "content", site / "content")  # the same Markdown files
    (site / "pelicanconf.py").write_text(PLAIN_PELICANCONF, encoding="utf-8")
    return site


# ---------------------------------------------------------------------------
# Timing


@dataclass
class Run:
    seconds: float
    peak_mb: float


@dataclass
class Result:
    n: int
    cswork: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)
    cswork_html: int = 0
    plain_html: int = 0

    def median(self, which: str) -> float:
        return statistics.median(r.seconds for r in getattr(self, which))

    def peak(self, which: str) -> float:
        return max(r.peak_mb for r in getattr(self, which))

    def ratio(self) -> float:
        return statistics.median(a.seconds / b.seconds for a, b in zip(self.cswork, self.plain))


def run_once(cmd: list[str], out: Path, log: Path, cwd: Path, env: dict[str, str]) -> Run:
    """Delete out, then run cmd once; wall-clock seconds and the child's own peak RSS."""
    shutil.rmtree(out, ignore_errors=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = log.read_text(errors="replace").splitlines()[-20:]
        sys.exit(f"failed (exit {code}): {' '.join(cmd)}\n  " + "\n  ".join(tail) + f"\n(full log: {log})")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(seconds, peak)


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


def bench(n: int, runs: int, warmup: int, work: Path, python: str, source: Path) -> Result:
    print(f"N={n}: generating sites in {work} ...", flush=True)
    cswork_site = make_cswork_site(n, work, source)
    plain_site = make_plain_site(n, work, cswork_site)
    cswork_out, plain_out = work / "out" / f"cswork-{n}", work / "out" / f"plain-{n}"
    env = child_env(source)
    commands = {
        "cswork": ([python, "-m", "cswork_site", "build", str(cswork_site), "-o", str(cswork_out)],
                   cswork_out, cswork_site),
        "plain": ([python, "-m", "pelican", str(plain_site / "content"), "-s", str(plain_site / "pelicanconf.py"),
                   "-o", str(plain_out)], plain_out, plain_site),
    }
    result = Result(n)
    for i in range(warmup):
        for which, (cmd, out, cwd) in commands.items():
            run = run_once(cmd, out, work / "logs" / f"{which}-{n}-warmup{i + 1}.log", cwd, env)
            print(f"  warm-up {which:6}: {run.seconds:7.2f} s  {run.peak_mb:6.0f} MB", flush=True)
    for i in range(runs):
        for which, (cmd, out, cwd) in commands.items():
            run = run_once(cmd, out, work / "logs" / f"{which}-{n}-run{i + 1}.log", cwd, env)
            getattr(result, which).append(run)
            print(f"  run {i + 1}   {which:6}: {run.seconds:7.2f} s  {run.peak_mb:6.0f} MB", flush=True)
    result.cswork_html, result.plain_html = count_html(cswork_out), count_html(plain_out)
    written = story_pages(cswork_out)
    if written != n:
        sys.exit(f"cswork wrote {written} story pages for {n} stories; see {work / 'logs'}")
    warnings = [line for line in (work / "logs" / f"cswork-{n}-run{runs}.log").read_text().splitlines()
                if "warning:" in line]
    if warnings:
        print(f"  cswork printed {len(warnings)} warning(s), e.g. {warnings[0]}")
    return result


# ---------------------------------------------------------------------------
# Reporting

HEADER = ["Stories", "cswork build (s)", "Plain Pelican (s)", "Ratio cswork/Pelican",
          "cswork peak RSS (MB)", "Pelican peak RSS (MB)", "cswork HTML files", "Pelican HTML files"]


def rows(results: list[Result]) -> list[list[str]]:
    return [[str(r.n), f"{r.median('cswork'):.2f}", f"{r.median('plain'):.2f}", f"{r.ratio():.2f}x",
             f"{r.peak('cswork'):.0f}", f"{r.peak('plain'):.0f}", str(r.cswork_html), str(r.plain_html)]
            for r in results]


def text_table(results: list[Result]) -> str:
    table = [HEADER] + rows(results)
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in table)


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
        "of each, alternating; times are medians, the ratio is the median of the per-pair ratios, "
        "and peak RSS is the largest of the timed runs.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---:" for _ in HEADER) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    lines.append("")
    for r in results:
        lines.append(f"Individual runs at N={r.n} (seconds): cswork "
                     + ", ".join(f"{x.seconds:.2f}" for x in r.cswork)
                     + "; plain Pelican " + ", ".join(f"{x.seconds:.2f}" for x in r.plain) + ".")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", action="append", metavar="N",
                        help="story count; repeat it or give a comma list (default 1000)")
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
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(f"--stories: {exc}")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    work = args.work.resolve()
    if REPO in (work, *work.parents) and not work.is_relative_to(REPO / "benchmarks"):
        parser.error("--work inside the repository must be under benchmarks/")

    about = environment(args.python)
    source = take_snapshot(work)
    check_snapshot_is_used(args.python, source)
    results = [bench(n, args.runs, args.warmup, work, args.python, source) for n in counts]
    print()
    print(text_table(results))
    if args.output:
        command = "python benchmarks/bench_build.py " + " ".join(
            [f"--stories {','.join(map(str, counts))}", f"--runs {args.runs}"]
            + ([f"--warmup {args.warmup}"] if args.warmup != 1 else [])
            + [f"--output {os.path.relpath(args.output.resolve(), REPO) if args.output.resolve().is_relative_to(REPO) else args.output}"])
        write_output(args.output, markdown_section(results, args.runs, args.warmup, command, about))
        print(f"\nWrote the results to {args.output}")


if __name__ == "__main__":
    main()
