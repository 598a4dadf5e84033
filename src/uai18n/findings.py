"""What every check reports with: severities, check ids and findings.

The entry checks (:mod:`uai18n.checks`), the gate's own checks
(:mod:`uai18n.gate`), the glossary (:mod:`uai18n.glossary.check`) and the
glossary lint all speak this one vocabulary, so ``uai18n check --list``, the
reports and the verdict cannot disagree on what an error is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import polib


class Severity(enum.StrEnum):
    """Errors fail a language; warnings only with ``--strict``.

    A StrEnum: JSON, text and JUnit reports write the plain strings.
    """

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check id users name (``disabled``, ``check-ok``), its severity and what it finds."""

    id: str
    severity: Severity
    description: str  # one line, for `uai18n check --list` and docs


_Info = TypeVar("_Info", bound=CheckInfo)


def registry(*infos: _Info) -> dict[str, _Info]:
    """Check ids to their entries, in the order given (the order of ``--list``)."""
    return {info.id: info for info in infos}


@dataclass(frozen=True)
class Finding:
    """One problem, where it is: a finding of ``uai18n check --format json``.

    The fields, in this order, are the JSON schema the README documents.
    """

    file: str
    line: int  # the line of the entry's msgid; 0 for the whole catalogue
    lang: str
    msgid: str
    check: str
    severity: Severity
    message: str

    def fails(self, strict: bool) -> bool:
        """Whether this finding fails its language (any finding does with ``strict``)."""
        return self.severity == Severity.ERROR or strict


def entry_line(entry: polib.POEntry) -> int:
    """The line a finding about ``entry`` points at: its msgid's, where the reader kept it."""
    return getattr(entry, "msgid_line", entry.linenum)
