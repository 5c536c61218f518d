"""What the command line makes of a build's progress (`cswork_site.progress`): a display on
stderr while a check or build runs, only when stderr is a terminal that can draw it, and
the time each phase took, for --verbose.

rich (which Pelican brings) draws the display; it is imported only when there is one."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cswork_site.progress import Progress


def can_display(quiet: bool) -> bool:
    """Whether to draw the display: stderr is a terminal, not a dumb one, colour is not
    turned off (NO_COLOR: the display is drawn in colour, with cursor movements) and
    the user did not ask for quiet. Pipes, files and CI logs never get it."""
    stream = sys.stderr
    return (not quiet and stream is not None and stream.isatty()
            and os.environ.get("TERM", "") != "dumb" and not os.environ.get("NO_COLOR"))


@dataclass
class Timed:
    name: str
    seconds: float
    count: int
    unit: str


class Phases(Progress):
    """Times each phase, and shows them on a terminal as they go (display=True)."""

    def __init__(self, display: bool, echo: Callable[[str], None]) -> None:
        self.timed: list[Timed] = []
        self._name: str | None = None
        self._unit = ""
        self._count = 0
        self._started = 0.0
        self._echo = echo
        self._display = _Display() if display else None

    @property
    def displayed(self) -> bool:
        return self._display is not None

    def phase(self, name: str, unit: str = "") -> None:
        if name == self._name:  # told twice: still the same phase
            return
        self._close_phase()
        self._name, self._unit, self._count, self._started = name, unit, 0, time.perf_counter()
        if self._display is not None:
            self._display.phase(name)

    def advance(self, count: int = 1) -> None:
        self._count += count
        if self._display is not None and self._unit:
            self._display.count(f"{self._count} {self._unit}")

    def echo(self, line: str) -> None:
        """A line for stderr while the display may be drawn: above it, not through it."""
        if self._display is not None:
            self._display.echo(line)
        else:
            self._echo(line)

    def close(self) -> list[Timed]:
        """The end of the run (done or stopped): the display is taken away."""
        self._close_phase()
        if self._display is not None:
            self._display.stop()
            self._display = None
        return self.timed

    def _close_phase(self) -> None:
        if self._name is not None:
            self.timed.append(Timed(self._name, time.perf_counter() - self._started, self._count, self._unit))
            self._name = None


class _Display:
    """The phases so far, each ticked when done, the current one with a spinner, its count and
    the time it has taken; cleared from the terminal at the end."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress as Bar, SpinnerColumn, TextColumn, TimeElapsedColumn

        # stdout is held back while the display is drawn (Report.running): not redirected here.
        self._bar = Bar(SpinnerColumn(finished_text="[green]✓[/]"), TextColumn("{task.description}"),
                        TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True,
                        redirect_stdout=False, redirect_stderr=False)
        self._task: Any = None
        self._bar.start()

    def phase(self, name: str) -> None:
        self._finish()
        self._task = self._bar.add_task(name, total=None, count="")
        self._bar.refresh()  # every phase is drawn, however short

    def count(self, text: str) -> None:
        self._bar.update(self._task, count=text)

    def echo(self, line: str) -> None:
        self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        self._finish()
        self._bar.stop()

    def _finish(self) -> None:
        if self._task is not None:
            self._bar.update(self._task, total=1, completed=1)
            self._task = None
