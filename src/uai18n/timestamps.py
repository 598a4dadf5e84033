"""Header dates, reproducible when ``SOURCE_DATE_EPOCH`` is set.

gettext headers carry dates (POT-Creation-Date, PO-Revision-Date). We set
them only when content changes, and take "now" from SOURCE_DATE_EPOCH when a
reproducible build asks for it (the reproducible-builds.org convention).
"""

from __future__ import annotations

import datetime
import os


def now() -> datetime.datetime:
    """The current UTC time, or SOURCE_DATE_EPOCH's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return datetime.datetime.now(tz=datetime.UTC)


def now_header_date() -> str:
    """A gettext header date: ``2026-11-26 10:31+0000``."""
    return now().strftime("%Y-%m-%d %H:%M%z")
