"""Skip work whose inputs have not changed.

Each stage records, per output, a digest of everything the output depends on
(the tool version, the config, the input files' bytes) and of the output as
written. A rerun with the same input digest and an untouched output skips the
work without parsing anything. The record lives in ``.uai18n/stamps.json``;
deleting it only costs one full run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from uai18n import __version__
from uai18n.pofiles import write_text_atomic


def digest(*parts: bytes | str) -> str:
    """A short, stable digest of the parts (in order)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (__version__, *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: Path) -> str:
    """Digest of a file's bytes; ``-`` when it does not exist."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "-"


class Stamps:
    """The stamp record of one project, loaded once and saved once."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / ".uai18n" / "stamps.json"
        try:
            self.records: dict[str, dict] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.records = {}
        self.dirty = False

    def fresh(self, key: str, inputs: str, outputs: list[Path]) -> dict | None:
        """The stored record if ``inputs`` match and every output is untouched."""
        record = self.records.get(key)
        if not record or record.get("inputs") != inputs:
            return None
        recorded = record.get("outputs", {})
        if sorted(recorded) != sorted(self._name(path) for path in outputs):
            return None
        for path in outputs:
            if file_digest(path) != recorded[self._name(path)]:
                return None
        return record

    def record(self, key: str, inputs: str, outputs: list[Path], **extra: object) -> None:
        self.records[key] = {
            "inputs": inputs,
            "outputs": {self._name(path): file_digest(path) for path in outputs},
            **extra,
        }
        self.dirty = True

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_absolute() else path.as_posix()

    def forget(self, key: str) -> None:
        if self.records.pop(key, None) is not None:
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            text = json.dumps(self.records, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            write_text_atomic(self.path, text)
            self.dirty = False
