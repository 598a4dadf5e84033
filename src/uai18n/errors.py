"""The one error type users see: a file, maybe a line, and what is wrong."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input a user can fix. The CLI prints it as one line and exits 2.

    Stages raise it with the file (and line, where there is one) so that the
    message reads like a compiler's: ``po/fr/ua.po:12: unterminated string``.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self) -> tuple[type[UserError], tuple[str, str | None, int | None]]:
        """Pickled whole, so an error raised in a worker process reads the same."""
        return (type(self), (self.message, self.path, self.line))
