"""Two builds of one output at once: one writes while the other waits (or refuses, in one
plain line); neither takes the other's work in progress; the output is one whole build.
A lock left by a build that was killed never blocks the next."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cswork_site.output import swap as output_module
from cswork_site.output.swap import building, lock_for
from cswork_site.problems import InputError

from .helpers import EPOCH, copy_site, cswork, tree_digest

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

BUILDS_AT_ONCE = 3


def _start(site: Path) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CSWORK_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "cswork_site", "build", str(site)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _race(site: Path) -> list[tuple[int, str]]:
    procs = [_start(site) for _ in range(BUILDS_AT_ONCE)]
    ended = []
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        ended.append((proc.returncode, err))
    return ended


def _ended_cleanly(ended: list[tuple[int, str]], output: Path) -> None:
    refusal = (f"cswork: another cswork build is writing {output.resolve()}; "
               "wait for it to finish (or stop it), then try again")
    for code, err in ended:
        assert "Traceback" not in err, err
        assert "internal error" not in err, err
        if code == 2:
            assert err.splitlines()[-1] == refusal, err
        else:
            assert code == 0, err
    assert any(code == 0 for code, _ in ended)


def test_builds_started_together_give_one_whole_build(tmp_path: Path):
    site = copy_site(tmp_path / "site")
    reference = cswork("build", str(site), "-o", str(tmp_path / "reference"))
    assert reference.returncode == 0, reference.stderr
    expected = tree_digest(tmp_path / "reference")
    output = site / "output"

    # Into no output yet, then over a whole one with its spare, after a change that
    # makes every page new.
    ended = _race(site)
    _ended_cleanly(ended, output)
    assert tree_digest(output) == expected
    assert not list(site.glob(".output.building-*")), "half-built folders were left behind"

    service = site / "data" / "service.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace("tagline: ", "tagline: Raced. ", 1),
                       encoding="utf-8")
    again = cswork("build", str(site), "-o", str(tmp_path / "reference2"))
    assert again.returncode == 0, again.stderr
    expected = tree_digest(tmp_path / "reference2")
    for _ in range(2):
        ended = _race(site)
        _ended_cleanly(ended, output)
        assert tree_digest(output) == expected
        assert not list(site.glob(".output.building-*")), "half-built folders were left behind"


_HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(600)
"""


def test_a_build_waits_for_the_lock_then_refuses_and_never_takes_the_other_s_work(
        tmp_path: Path, monkeypatch, capsys):
    output = tmp_path / "output"
    lock = lock_for(output.resolve())
    assert lock == tmp_path / ".output.lock"
    # Another build, writing: it holds the lock, and its half-built folder is beside the output.
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        theirs = tmp_path / ".output.building-theirs"
        theirs.mkdir()
        (theirs / "index.html").write_text("their work in progress")
        monkeypatch.setattr(output_module, "LOCK_WAIT", 0.5)
        started = time.monotonic()
        with pytest.raises(InputError) as refused:
            with building(output):
                pytest.fail("built while another build held the lock")
        assert time.monotonic() - started >= 0.5
        assert str(refused.value) == (f"another cswork build is writing {output.resolve()}; "
                                      "wait for it to finish (or stop it), then try again")
        assert "Waiting for another cswork build" in capsys.readouterr().err
        assert (theirs / "index.html").read_text() == "their work in progress"
        assert not output.exists()
    finally:
        # The build holding the lock is killed: no clean-up of its own runs.
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=20)
    monkeypatch.setattr(output_module, "LOCK_WAIT", 30)
    started = time.monotonic()
    with building(output) as tmp:
        (tmp / "index.html").write_text("mine")
    assert time.monotonic() - started < 5, "a lock left by a killed build blocked the next one"
    assert capsys.readouterr().err == "", "nothing is said when there is no wait"
    assert (output / "index.html").read_text() == "mine"
    assert not theirs.exists(), "the killed build's leftovers are removed by the next one"
    assert lock.exists()  # left in place: removing it could let two builds lock two files


def test_a_build_that_waits_then_builds(tmp_path: Path, capsys):
    output = tmp_path / "output"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(lock_for(output.resolve()))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        # The other build finishes (here: ends) a moment after this one starts waiting.
        killer = subprocess.Popen([sys.executable, "-c",
                                   f"import os, time; time.sleep(1); os.kill({holder.pid}, 9)"])
        with building(output) as tmp:
            (tmp / "index.html").write_text("after waiting")
        killer.wait(timeout=20)
    finally:
        if holder.poll() is None:
            os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=20)
    assert (output / "index.html").read_text() == "after waiting"
    assert "Waiting for another cswork build to finish writing" in capsys.readouterr().err
