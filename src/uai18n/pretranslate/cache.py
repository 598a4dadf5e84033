"""Every engine answer, kept in ``.uai18n/mt-cache.sqlite3``.

Machine translation costs money and quota per character; the same sentence
recurs in every UA. The key is what was sent: engine, source language,
target language and the masked text, so a rerun sends nothing. Answers that
were errors (timeouts, HTML pages, empty strings) are not answers and are not
kept. Deleting ``.uai18n/`` only costs a re-send.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

from uai18n.errors import UserError

CACHE_NAME = "mt-cache.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (engine, source, target, text)
)
"""


class AnswerCache:
    """A small SQLite table; every stored answer is committed at once.

    Committing per answer means a run that stops half-way (a dead engine,
    Ctrl-C, a budget) keeps what it paid for.
    """

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        self.path = folder / CACHE_NAME
        self._connection: sqlite3.Connection | None = None
        if read_only and not self.path.exists():
            return
        try:
            if read_only:
                uri = f"file:{self.path}?mode=ro"
                self._connection = sqlite3.connect(uri, uri=True)
            else:
                folder.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path)
                self._connection.execute(_SCHEMA)
                self._connection.commit()
        except sqlite3.Error as error:
            raise UserError(f"cannot open the translation cache: {error}", self.path) from None

    def get(self, engine: str, source: str, target: str, text: str) -> str | None:
        if self._connection is None:
            return None
        try:
            row = self._connection.execute(
                "SELECT answer FROM answers WHERE engine=? AND source=? AND target=? AND text=?",
                (engine, source, target, text),
            ).fetchone()
        except sqlite3.Error as error:
            raise UserError(f"cannot read the translation cache: {error}", self.path) from None
        return row[0] if row else None

    def put(self, engine: str, source: str, target: str, text: str, answer: str) -> None:
        if self._connection is None:
            raise RuntimeError("the cache was opened read-only")
        self._connection.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
            (engine, source, target, text, answer),
        )
        self._connection.commit()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> AnswerCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
