"""Progress lines on standard error, for long work: pulls and intake, dbt's models, as-of builds, PDFs.

``Progress()`` prints ``[  12.3s] message`` through a rich ``Console`` on standard error when it is a
terminal (or ``PRESSDX_PROGRESS=1``), so that piped output and tests stay quiet while a person watching a
long run sees it advance. ``pressdx.cli.main`` hands one to every dbt invocation of the command
(``pressdx.warehouse.dbt.progress_to``): a build says ``model 12/45 fct_indicator_period`` as each model
starts, whichever command started it (``run``, or ``kpi --as-of`` building an as-of copy).
"""

from __future__ import annotations

import os
import sys
import time


def enabled() -> bool:
    return sys.stderr.isatty() or os.environ.get("PRESSDX_PROGRESS") == "1"


class Progress:
    """A callable printing one progress line (thread-safe: dbt reports from its worker threads)."""

    def __init__(self) -> None:
        self.enabled = enabled()
        self.t0 = time.monotonic()
        self._console = None
        if self.enabled:
            from rich.console import Console

            # markup, emoji and highlighting off: a file name with [brackets] or :colons: prints as it is
            self._console = Console(file=sys.stderr, markup=False, emoji=False, highlight=False, soft_wrap=True)

    def __call__(self, msg: str) -> None:
        if self._console is not None:
            self._console.print(f"[{time.monotonic() - self.t0:6.1f}s] {msg}")
            self._console.file.flush()
