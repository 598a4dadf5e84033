"""Skip work whose inputs have not changed.

Each stage records, per output, a digest of everything the output depends on
(the tool version, the config, the input files' bytes) and of the output as
written. A rerun with the same input digest and an untouched output skips the
work without parsing anything. The record lives in ``.uai18n/stamps.json``;
deleting it only costs one full run.

File digests are themselves cached by (mtime, size, inode), as git's index
does, so a no-op rerun stats files instead of reading them. A file modified
in the last few seconds is always read again (git's "racy" rule), so an edit
within the file system's timestamp granularity is never missed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import time
from pathlib import Path

from uai18n import __version__
from uai18n.errors import UserError
from uai18n.textfiles import read_bytes, write_text_atomic

#: How messages name the record: it is always at the same place in a project.
STAMPS_NAME = ".uai18n/stamps.json"
#: The check's findings, apart: large on a big project, and only check reads them.
FINDINGS_NAME = ".uai18n/findings.json"


@functools.cache
def code_digest() -> str:
    """A digest of uai18n's own source files: a new version of a stage rebuilds.

    The version number alone would not do between releases (and in a
    checkout), and a stale output after an upgrade is exactly what a section
    office must never pull. Each file counts by its name, size and mtime, as
    the file digests below do: 0.5 ms a command where reading and hashing
    the 700 kB took 3 ms. Installing the package again (new mtimes) costs
    one full run.
    """
    hasher = hashlib.blake2b(digest_size=16)
    package = os.path.dirname(os.path.realpath(__file__))
    files = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                files.append((os.path.relpath(path, package).replace(os.sep, "/"), path))
    for relative, path in sorted(files):
        status = os.stat(path)
        hasher.update(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


#: The libraries whose answers a cached result holds, by import name: Babel
#: (number symbols, plural forms, language names), polib, and the glossary's
#: lemmatizer and stemmer.
LIBRARIES = {"babel": "babel", "polib": "polib", "simplemma": "simplemma", "Stemmer": "pystemmer"}


@functools.cache
def library_versions(*modules: str) -> str:
    """The installed versions of :data:`LIBRARIES` (or of those ``modules``
    among them), and Unicode's (character classes, case folding): a cache
    made with others is not used."""
    import unicodedata

    found = [f"unicode={unicodedata.unidata_version}"]
    for module, distribution in LIBRARIES.items():
        if not modules or module in modules:
            found.append(f"{distribution}={_installed_version(module, distribution)}")
    return " ".join(found)


def _installed_version(module: str, distribution: str) -> str:
    """The version in the name of the ``<name>-<version>.dist-info`` folder beside
    ``module`` (one listdir, where importing importlib.metadata takes 10 ms of a
    re-check's 100), else importlib.metadata's answer; ``?`` when not installed."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "?"
    origin = Path(spec.origin).parent
    folder = origin.parent if spec.submodule_search_locations else origin
    prefix = f"{distribution}-"
    for name in _folder_names(folder):
        if name.lower().startswith(prefix) and name.endswith(".dist-info"):
            return name[len(prefix) : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


@functools.cache
def _folder_names(folder: Path) -> list[str]:
    """One listing of site-packages for every library installed there."""
    try:
        return os.listdir(folder)
    except OSError:
        return []


def digest(*parts: bytes | str) -> str:
    """A short, stable digest of the parts (in order), of this code's."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (__version__, code_digest(), *parts):
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def relative_name(prefix: str, path: Path | str) -> str | None:
    """``path`` relative to the folder ``prefix`` names (with its trailing
    separator), ``/``-separated; None when it is not inside. Plain string
    slicing: this runs for every file of every no-op rerun and re-status."""
    text = os.fspath(path)
    if not text.startswith(prefix):
        return None
    return text[len(prefix) :].replace(os.sep, "/")


#: Files modified more recently than this (seconds) are always re-read.
RACY_SECONDS = 2.0


class Stamps:
    """The stamp record of one project, loaded once and saved once.

    ``name``: the file, :data:`STAMPS_NAME` unless the records are only of
    use to one command (:data:`FINDINGS_NAME`), so that others never load them.
    """

    def __init__(self, root: Path, name: str = STAMPS_NAME):
        self.root = root
        self.name = name
        self.prefix = os.path.join(os.fspath(root), "")
        self.path = root / name
        try:  # a cache: unreadable or damaged only costs one full run
            stored = json.loads(read_bytes(self.path, name))
            self.records: dict[str, dict] = stored["records"]
            self.files: dict[str, list] = stored["files"]
        except (UserError, ValueError, KeyError, TypeError):
            self.records, self.files = {}, {}
        self.dirty = False
        self._seen: dict[str, list] = {}  # this run's digests, racy files included

    def file_digest(self, path: Path) -> str:
        """Digest of a file's bytes (``-`` when it does not exist, or is no
        regular file: a FIFO or a device is never read, a folder cannot be).

        Cached by the file's (mtime, size, inode); :meth:`save` keeps only
        digests of files older than :data:`RACY_SECONDS` at saving time.
        """
        name = self._name(path)
        try:
            status = os.stat(path)
        except OSError:
            return "-"
        if not stat.S_ISREG(status.st_mode):
            return "-"
        key = [status.st_mtime_ns, status.st_size, status.st_ino]
        cached = self._seen.get(name) or self.files.get(name)
        if cached is not None and cached[:3] == key:
            return cached[3]
        try:
            value = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            return "-"
        self._seen[name] = [*key, value]
        return value

    def fresh(self, key: str, inputs: str, outputs: list[Path]) -> dict | None:
        """The stored record if ``inputs`` match and every output is untouched."""
        record = self.records.get(key)
        if not record or record.get("inputs") != inputs:
            return None
        recorded = record.get("outputs", {})
        if sorted(recorded) != sorted(self._name(path) for path in outputs):
            return None
        for path in outputs:
            if self.file_digest(path) != recorded[self._name(path)]:
                return None
        return record

    def record(self, key: str, inputs: str, outputs: list[Path], **extra: object) -> None:
        self.records[key] = {
            "inputs": inputs,
            "outputs": {self._name(path): self.file_digest(path) for path in outputs},
            **extra,
        }
        self.dirty = True

    def _name(self, path: Path) -> str:
        """The path relative to the project root; a path outside it as it is."""
        inside = relative_name(self.prefix, path)
        return inside if inside is not None else os.fspath(path)

    def save(self) -> None:
        """Write the record if it changed. A digest is kept only for a file
        last modified :data:`RACY_SECONDS` before now (git's "racy" rule):
        a later edit within the file system's timestamp granularity could
        otherwise leave the same (mtime, size, inode) and go unseen."""
        settled = time.time() - RACY_SECONDS
        for name, entry in self._seen.items():
            if entry[0] / 1e9 < settled:
                if self.files.get(name) != entry:
                    self.files[name] = entry
                    self.dirty = True
            elif self.files.pop(name, None) is not None:
                self.dirty = True
        self._seen.clear()
        if self.dirty:
            stored = {"records": self.records, "files": self.files}
            text = json.dumps(stored, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            write_text_atomic(self.path, text + "\n", display=self.name, durable=False)
            self.dirty = False
