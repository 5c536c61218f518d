"""What a build tells of its progress as it goes: the phase it is in, and how many items of
that phase are done. The build reports to a `Progress`; this one tells no one. The command
line passes one that shows a display on a terminal and times the phases
(`cli/progress.py`), so the build itself never depends on how, or whether, it is shown."""

from __future__ import annotations


class Progress:
    """Told of each phase as it begins; does nothing with it."""

    def phase(self, name: str, unit: str = "") -> None:
        """A new phase begins (and the one before it ends). unit names what advance counts,
        such as "pages"; empty when the phase counts nothing."""

    def advance(self, count: int = 1) -> None:
        """count more items of the current phase are done."""


SILENT = Progress()
