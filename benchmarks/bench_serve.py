#!/usr/bin/env python3
"""Time `cswork serve` from saving a story to the preview serving the changed page.

For each story count N: makes a site of N generated stories (as bench_build.py does),
starts `cswork serve SITE --port 0`, waits for its first build, then R times appends a
new sentence to one story's file and asks the preview for that story's page every 20 ms
until the page holds the sentence. The time from the save to that answer is one
measurement; the script prints the median, the minimum and the maximum, with the
number of pages the preview has.

The browser's own reload (its poll of /__cswork/version) adds up to one poll interval
on top: see POLL_MS in cswork_site/assets/reload.js.

    python benchmarks/bench_serve.py --stories 1000,5000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_build  # noqa: E402  (the same generated stories)

from cswork_site.stories.meta import story_slug  # noqa: E402  (the address a story gets)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return None


def _start(site: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "cswork_site", "serve", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    deadline = time.monotonic() + 1200
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"Serving on (http://127\.0\.0\.1:\d+)/", line)
        if found:
            return proc, found.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("cswork serve did not start")


def measure(n: int, runs: int, work: Path) -> tuple[list[float], int]:
    source = bench_build.take_snapshot(work, sys.executable)
    site = bench_build.make_cswork_site(n, work, source)
    env = bench_build.child_env(source)
    proc, base = _start(site, env)
    try:
        story = bench_build.story_to_change(site)
        meta = dict(line.split(":", 1) for line in story.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
                    if ":" in line)
        pages = list((site / ".cswork-cache" / "preview").rglob("index.html"))
        url = f"{base}/stories/{meta['Date'].strip()[:4]}/{story_slug(meta['Title'].strip())}/"
        assert _get(url), url
        times = []
        for i in range(runs):
            marker = f"Preview timing sentence {i} {time.time_ns()}."
            time.sleep(1.5)  # let the watcher settle after the last rebuild
            with story.open("a", encoding="utf-8") as f:
                f.write(f"\n{marker}\n")
            start = time.monotonic()
            while marker not in (_get(url) or ""):
                if time.monotonic() - start > 600:
                    raise SystemExit(f"the change never reached {url}")
                time.sleep(0.02)
            times.append(time.monotonic() - start)
        return times, len(pages)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", default="1000", help="comma-separated story counts")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cswork-bench-serve-"))
    bench_build.TRASH.use(work)
    print(f"{'stories':>8} {'pages':>6} {'median s':>9} {'min s':>7} {'max s':>7}")
    for n in [int(v) for v in args.stories.split(",")]:
        times, pages = measure(n, args.runs, work)
        print(f"{n:>8} {pages:>6} {statistics.median(times):>9.2f} {min(times):>7.2f} {max(times):>7.2f}")
    bench_build.TRASH.empty()
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    os.sync()


if __name__ == "__main__":
    main()
