"""Work done aside, in a forked copy of the build, on a core that would otherwise wait.

While Pelican reads the stories the build uses one core. Compiling the theme's templates
into the template cache needs the build's state but gives only files, so it is done in
a forked process then, and writing the pages loads compiled templates (Jinja renames
each compiled file into place, so if the writing gets there first both compile it and
nothing is lost but the saving). The story objects' cache is not written aside: see
`articlecache`.
A fork is never made in a process that has other threads (the preview server), where a
copy of a lock another thread holds would never be released: the job is then left out.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Aside:
    """The processes forked for one build; `wait` reaps them."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self.templates_started = False

    def run(self, job: Callable[[], None]) -> bool:
        """Run job in a forked process; False if it could not be forked (nothing ran)."""
        if not can_fork():
            return False
        try:
            pid = os.fork()
        except OSError:
            return False
        if pid:
            self.pids.append(pid)
            return True
        try:  # in the child: the job, then leave without running any of the parent's exit code
            job()
        except BaseException:
            pass
        finally:
            os._exit(0)

    def compile_templates(self, generator) -> None:
        env = getattr(generator, "env", None)
        if self.templates_started or env is None or env.bytecode_cache is None:
            return
        self.templates_started = True
        # The theme's own templates: Pelican's loader also offers its simple theme's, as "!simple/...".
        names = env.list_templates(filter_func=lambda n: n.endswith(".html") and not n.startswith("!"))

        def compile_all() -> None:
            for name in names:
                try:
                    env.get_template(name)
                except Exception:  # the build reports a broken template when it uses it
                    pass

        self.run(compile_all)

    def wait(self) -> None:
        for pid in self.pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.pids.clear()
