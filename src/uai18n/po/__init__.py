"""PO files: strict reading (:mod:`.read`), writing as GNU gettext writes
(:mod:`.write`, with :mod:`.linebreak` and :mod:`.directives` for where a line
may break), and the ``#,`` flags (:mod:`.flags`)."""

from uai18n.po.read import parse_catalog, read_catalog
from uai18n.po.write import dumps, write_catalog

__all__ = ["dumps", "parse_catalog", "read_catalog", "write_catalog"]
