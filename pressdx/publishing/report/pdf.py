"""``report.html`` → ``report.pdf`` with WeasyPrint, the report's one PDF engine.

WeasyPrint is a pip package (in the lock), so ``make demo`` prints the PDF on a machine with Python and
nothing else: no browser. Its system libraries (Pango, HarfBuzz, fontconfig) are Debian's
``libpango-1.0-0``, ``libpangoft2-1.0-0``, ``libharfbuzz-subset0``; when they are missing the import fails and
:class:`PdfError` says which packages to install. Page size, margins, page breaks and the footer with
"page N / M" come from the page's ``@page`` rules (CSS Paged Media); SVG charts are inline and drawn as
vectors. Fonts are the ones the CSS names (Noto Sans, then DejaVu Sans, both with Vietnamese); a machine with
neither falls back to fontconfig's default sans-serif font, still a valid PDF. A machine with no font at all
gets :class:`PdfError` before rendering (Pango would crash the process on the first glyph).

Reproducible: the PDF's creation and modification dates are the report's as-of instant (its
``<meta name="pressdx-as-of">``), not the wall clock, and its file identifier is derived from the content,
so the same ``report.html`` always prints the same bytes. Nothing is fetched: the page is self-contained and
any URL other than an inline ``data:`` one is refused.
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from pressdx.settings import environment

AS_OF_META = "pressdx-as-of"
LIBRARY_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
FONT_PACKAGES = "fonts-noto-core fonts-dejavu-core"


class PdfError(RuntimeError):
    """The PDF could not be printed (WeasyPrint's system libraries missing, or a rendering failure)."""


def _weasyprint():
    try:
        with warnings.catch_warnings():  # "No fonts configured": checked by _font_count(), said as PdfError
            warnings.simplefilter("ignore", UserWarning)
            import weasyprint
    except OSError as e:  # cffi could not load Pango / HarfBuzz / fontconfig
        raise PdfError(f"WeasyPrint cannot load its system libraries ({str(e).splitlines()[0]}): "
                       f"apt-get install {LIBRARY_PACKAGES} {FONT_PACKAGES}") from None
    return weasyprint


def _font_count() -> int:
    """How many fonts fontconfig knows (the check WeasyPrint itself makes at import, as a number)."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    return 0 if fonts == ffi.NULL else fonts.nfont


@contextmanager
def _quiet():
    """WeasyPrint logs each CSS property it does not know (``print-color-adjust``, for browsers' printing) as
    a warning, which Python's last-resort handler would print to stderr: keep only its errors."""
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _font_time(instant: str | None) -> dict[str, str]:
    """fontTools stamps each font subset it embeds with the time it saved it (``head.modified``) unless
    ``SOURCE_DATE_EPOCH`` says otherwise: the as-of instant while the PDF is written (``settings.environment``),
    so that two prints of the same page a second apart are the same bytes."""
    return {"SOURCE_DATE_EPOCH": str(int(datetime.fromisoformat(instant).timestamp()))} if instant else {}


def _fetcher(weasyprint):
    """The report is self-contained: only inline ``data:`` URLs are read, never a file or a host."""
    return weasyprint.URLFetcher(allowed_protocols={"data"}, timeout=1)


def _w3c(instant: str | None) -> str | None:
    """The as-of instant as a W3C date to the second (what PDF dates hold), or None if it does not parse."""
    try:
        return datetime.fromisoformat(instant).replace(microsecond=0).isoformat() if instant else None
    except ValueError:
        return None


def html_to_pdf(html: Path, pdf: Path) -> Path:
    """Print ``html`` to ``pdf`` (overwritten); the PDF is dated at the report's as-of instant."""
    weasyprint = _weasyprint()
    if _font_count() == 0:
        raise PdfError(f"no font is installed for the PDF: apt-get install {FONT_PACKAGES}")
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    tmp = pdf.with_name(pdf.name + ".part")
    try:
        with _quiet():
            doc = weasyprint.HTML(filename=str(html), url_fetcher=_fetcher(weasyprint)).render()
            dated = _w3c(doc.metadata.custom.get(AS_OF_META))
            doc.metadata.created = doc.metadata.modified = dated
            with environment(_font_time(dated)):
                doc.write_pdf(tmp, pdf_identifier=True)  # /ID = a hash of the content: same page, same bytes
    except Exception as e:  # any rendering failure is one line for the CLI
        tmp.unlink(missing_ok=True)
        reason = str(e).splitlines()[0] if str(e).strip() else "rendering failed"
        raise PdfError(f"WeasyPrint could not print {html.name}: {reason}") from e
    tmp.replace(pdf)
    return pdf
