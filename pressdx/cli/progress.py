"""Progress lines on standard error, for long commands (``run``, ``report``, ``sample``)."""

from __future__ import annotations

import os
import sys
from datetime import datetime


class Progress:
    """Prints ``[  12.3s] message`` when standard error is a terminal (or ``PRESSDX_PROGRESS=1``), so that
    piped output and tests stay quiet while a person watching a long run sees it advance."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty() or os.environ.get("PRESSDX_PROGRESS") == "1"
        self.t0 = datetime.now()

    def __call__(self, msg: str) -> None:
        if self.enabled:
            secs = (datetime.now() - self.t0).total_seconds()
            print(f"[{secs:6.1f}s] {msg}", file=sys.stderr, flush=True)
