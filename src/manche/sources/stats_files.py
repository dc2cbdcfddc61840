"""Which adapter reads which official statistics file: by extension, then by content."""

from __future__ import annotations

from pathlib import Path

from manche.domain.stats import ParsedFile
from manche.errors import ImportRejected
from manche.sources.govuk_page import read_page
from manche.sources.homeoffice_ods import read_timeseries
from manche.sources.nationality_csv import read_nationality_csv

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "homeoffice"


def read_stats_file(path: Path | str) -> ParsedFile:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".ods":
        return read_timeseries(path)
    if suffix in (".html", ".htm"):
        return read_page(path)
    if suffix == ".csv":
        return read_nationality_csv(path)
    raise ImportRejected(
        "unknown kind of file: expected a time-series spreadsheet (.ods), a GOV.UK page "
        "(.html) or the final quarterly table (.csv)",
        file=str(path),
    )


def bundled_files() -> list[Path]:
    """The official files shipped with Manche (see data/homeoffice/PROVENANCE.md)."""
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix.lower() in (".ods", ".html", ".csv"))
