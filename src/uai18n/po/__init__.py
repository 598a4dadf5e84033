"""PO files: strict reading (:mod:`.read`), writing as GNU gettext writes
(:mod:`.write`, with :mod:`.linebreak` and :mod:`.directives` for where a line
may break), and the ``#,`` flags (:mod:`.flags`).

The names below are imported on first use: a command that only reads
catalogues (``uai18n check`` after an edit) does not load the writer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uai18n.po.read import parse_catalog, read_catalog
    from uai18n.po.write import dumps, write_catalog

__all__ = ["dumps", "parse_catalog", "read_catalog", "write_catalog"]

_MODULE_OF = {
    "dumps": "write",
    "parse_catalog": "read",
    "read_catalog": "read",
    "write_catalog": "write",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
