"""``report.html`` → ``report.pdf`` with headless Chromium (``--print-to-pdf``).

Chromium is looked up as ``$PRESSDX_CHROMIUM``, then ``chromium``, ``chromium-browser``, ``google-chrome``
on ``PATH``. Each run gets a fresh, temporary profile directory and no network features, so printing
touches nothing outside it. Page size and margins come from the page's ``@page`` rule; the page numbers
are CSS margin boxes, so Chromium's own header and footer are switched off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 180


class PdfError(RuntimeError):
    """Chromium is missing or failed to print."""


def find_chromium() -> str | None:
    env = os.environ.get("PRESSDX_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for c in CANDIDATES:
        p = shutil.which(c)
        if p:
            return p
    return None


def chromium_args(exe: str, profile: str) -> list[str]:
    """The command line every headless Chromium run of the project starts with."""
    return [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile}"]


def run_chromium(extra: list[str], timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    exe = find_chromium()
    if exe is None:
        raise PdfError("Chromium not found: install the Debian package `chromium` or set PRESSDX_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="pressdx-chromium-") as profile:
        try:
            return subprocess.run([*chromium_args(exe, profile), *extra], capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"Chromium did not finish within {timeout:.0f} s") from e


def html_to_pdf(html: Path, pdf: Path) -> Path:
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    if pdf.exists():
        pdf.unlink()
    res = run_chromium(["--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                        "--virtual-time-budget=10000", f"--print-to-pdf={pdf}", html.as_uri()])
    if not pdf.exists() or pdf.stat().st_size == 0:
        tail = (res.stderr or "").strip().splitlines()[-3:]
        raise PdfError(f"Chromium printed no PDF (exit {res.returncode}): {' | '.join(tail)}")
    return pdf
