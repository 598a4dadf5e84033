"""``uai18n.toml`` read into a frozen :class:`Config`.

Every value is type-checked here, so stages can trust the config and a typo
ends in one line naming the file and the key, not a traceback later.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from uai18n.errors import UserError
from uai18n.locales import validate_language

CONFIG_NAME = "uai18n.toml"
SEGMENT_MODES = ("sentence", "paragraph")
OUTPUT_FORMATS = ("txt", "html", "pdf", "docx")  # docx: only from docx sources
DEFAULT_FORMATS = ("txt", "html")  # PDFs only when asked: they take the most time
DEFAULT_GLOSSARY_KEYS = ".uai18n/glossary-keys"  # a cache, unless a project commits it


@dataclass(frozen=True)
class LanguagePolicy:
    """What one target language must reach.

    ``min_translated`` is the percentage of segments (translated, not fuzzy)
    below which ``build`` does not write the language; ``required`` makes
    a shortfall a failure (exit 1) rather than a line in the report.
    """

    code: str
    required: bool = False
    min_translated: float = 100.0
    min_reviewed: float = 0.0
    fuzzy_counts: bool = False  # fuzzy suggestions count toward min_translated in check
    disabled_checks: tuple[str, ...] = ()
    glossary_disabled: tuple[str, ...] = ()  # glossary concepts (ids or terms) not checked
    engine: str | None = None  # the [engines.NAME] that pretranslate uses for this language
    machine_text: bool = False  # build may use pre-filled (fuzzy) suggestions, marked


#: Machine-translation engine kinds (deep-translator's) and their API key's
#: default environment variable (None: the engine needs no key).
ENGINE_KINDS: dict[str, str | None] = {
    "google": None,
    "mymemory": None,
    "deepl": "DEEPL_API_KEY",
    "microsoft": "MICROSOFT_TRANSLATOR_KEY",
    "libre": "LIBRETRANSLATE_API_KEY",
}


@dataclass(frozen=True)
class EngineSettings:
    """One ``[engines.NAME]`` table (or an engine kind used by its own name).

    The API key itself is never in the config: only the name of the
    environment variable that holds it.
    """

    name: str
    kind: str
    url: str | None = None
    api_key_env: str | None = None
    region: str | None = None  # Microsoft
    free_api: bool = True  # DeepL's free endpoint

    @property
    def key_variable(self) -> str | None:
        return self.api_key_env or ENGINE_KINDS[self.kind]


@dataclass(frozen=True)
class WeblateSettings:
    """The ``[weblate]`` table: the server, the project, and what Weblate clones.

    The API token itself is never in the config: only the name of the
    environment variable that holds it.
    """

    url: str
    project: str
    token_env: str = "WEBLATE_TOKEN"
    repo: str | None = None  # the git URL Weblate clones (and pulls from)
    push: str | None = None  # the git URL Weblate pushes to (none: Weblate commits only)
    branch: str = "main"
    project_name: str | None = None  # the project's display name (default: its slug)
    website: str | None = None  # the project's website (default: the Weblate URL)


@dataclass(frozen=True)
class Config:
    """The project settings, resolved against the project root."""

    root: Path
    source_language: str = "en"
    segment: str = "sentence"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    languages: tuple[LanguagePolicy, ...] = ()
    abbreviations: tuple[str, ...] = field(default_factory=tuple)
    disabled_checks: tuple[str, ...] = ()  # [checks] disabled = [...]: for every language
    engines: tuple[EngineSettings, ...] = ()
    memory_files: tuple[str, ...] = ("memory/*.tmx",)  # TMX files (globs) of the memory
    memory_min_score: float = 75.0
    weblate: WeblateSettings | None = None
    glossary_keys: str = DEFAULT_GLOSSARY_KEYS  # [glossary] keys: the key store's folder

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def po_dir(self) -> Path:
        return self.root / "po"

    @property
    def templates_dir(self) -> Path:
        return self.po_dir / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".uai18n"

    @property
    def glossary_keys_dir(self) -> Path:
        """Where the glossary check keeps every word's keys (one file a language)."""
        return self.root / self.glossary_keys

    def engine(self, name: str) -> EngineSettings:
        """A configured engine, or an engine kind by its own name ("google")."""
        for settings in self.engines:
            if settings.name == name:
                return settings
        if name in ENGINE_KINDS:
            return EngineSettings(name, name)
        known = sorted({*ENGINE_KINDS, *(engine.name for engine in self.engines)})
        raise UserError(f"unknown engine {name!r} (known: {', '.join(known)})")

    def policy(self, code: str) -> LanguagePolicy:
        for policy in self.languages:
            if policy.code == code:
                return policy
        return LanguagePolicy(code=code)

    def select_languages(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """The configured languages, or the ``--lang`` ones validated (in order)."""
        if not wanted:
            return tuple(policy.code for policy in self.languages)
        codes = []
        for code in wanted:
            normalized = validate_language(code, "--lang")
            if normalized == self.source_language:
                raise UserError(f"{code!r} is the source language; it has no catalogue", "--lang")
            if normalized not in codes:
                codes.append(normalized)
        return tuple(codes)


def load_config(root: Path) -> Config:
    """Read ``root/uai18n.toml`` (or ``[tool.uai18n]`` in ``pyproject.toml``)."""
    path = root / CONFIG_NAME
    table: dict[str, Any]
    prefix: tuple[str, ...] = ()
    if path.is_file():
        text, table = _read_toml(path)
    elif (root / "pyproject.toml").is_file():
        path = root / "pyproject.toml"
        text, whole = _read_toml(path)
        table = whole.get("tool", {}).get("uai18n")
        if table is None:
            raise UserError(f"no {CONFIG_NAME} and no [tool.uai18n] table here", path)
        prefix = ("tool", "uai18n")
    else:
        raise UserError(f"no {CONFIG_NAME} here (run in a project or use -C DIR)", root)
    return _parse(table, root, _Source(path.name, KeyLines(text), prefix))


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", path.name) from None
    except UnicodeDecodeError as error:
        raise UserError(f"not UTF-8 (byte {error.start})", path.name) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = re.search(r"at line (\d+)", message)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise UserError(message, path.name, int(line.group(1)) if line else None) from None


class KeyLines:
    """The line of each key of a TOML text: tomllib gives values, no positions.

    A small scan, enough for the layouts a config has: ``[table]`` and
    ``[[array]]`` headers, ``key = value`` and dotted ``a.b = value`` lines
    (keys quoted or bare, read by tomllib itself), the keys of a one-line
    inline table (placed on its line); comments, strings (multi-line too) and
    values spanning lines are skipped. A key it cannot place has no line.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, ...], int] = {}
        self._inline: set[tuple[str, ...]] = set()  # keys whose value is an inline table
        table: tuple[str, ...] = ()
        string: str | None = None  # the multi-line string we are inside
        depth = 0  # brackets and braces still open in a value
        for number, line in enumerate(text.splitlines(), 1):
            rest = line
            if string is None and depth == 0:
                header = _header_path(line)
                if header is not None:
                    table = header
                    self._lines.setdefault(table, number)
                    continue
                key, rest = _split_key(line)
                if key is not None:
                    self._lines.setdefault(table + key, number)
                    if rest.lstrip().startswith("{"):
                        self._inline.add(table + key)
            string, depth = _scan_value(rest, string, depth)

    def line(self, path: tuple[str, ...]) -> int | None:
        """The key's line; inside an inline table, the table's line; else None."""
        if path in self._lines:
            return self._lines[path]
        for end in range(len(path) - 1, 0, -1):
            if path[:end] in self._inline:
                return self._lines[path[:end]]
        return None


def _key_path(text: str) -> tuple[str, ...] | None:
    """``a."b.c"`` -> ("a", "b.c"), as TOML reads it; None if it is not a key."""
    return _single_path(f"{text} = 0", lambda leaf: leaf == 0)


def _header_path(line: str) -> tuple[str, ...] | None:
    """The table a ``[a.b]`` or ``[[a.b]]`` line opens (comments allowed), else None."""
    if not line.lstrip().startswith("["):
        return None
    return _single_path(line, lambda leaf: leaf in ({}, [{}]))


def _single_path(text: str, is_leaf: Callable[[Any], bool]) -> tuple[str, ...] | None:
    """The one chain of keys ``text`` parses to, when it ends in a leaf ``is_leaf`` accepts."""
    try:
        value: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    path = []
    while isinstance(value, dict) and len(value) == 1:
        ((key, value),) = value.items()
        path.append(key)
    return tuple(path) if path and is_leaf(value) else None


def _split_key(line: str) -> tuple[tuple[str, ...] | None, str]:
    """(the key path of a ``key = value`` line, the text after ``=``) or (None, line)."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "=":
            path = _key_path(line[:index])
            return (path, line[index + 1 :]) if path else (None, line)
        index += 1
    return None, line


def _scan_value(text: str, string: str | None, depth: int) -> tuple[str | None, int]:
    """Past ``text``: the multi-line string still open, and the brackets still open."""
    index = 0
    while index < len(text):
        if string is not None:
            if text[index] == "\\" and string.startswith('"'):
                index += 2
            elif text.startswith(string, index):
                index += len(string)
                string = None
            else:
                index += 1
            continue
        char = text[index]
        if char == "#":
            break
        opened = next((q for q in ('"""', "'''", '"', "'") if text.startswith(q, index)), None)
        if opened is not None:
            string = opened
            index += len(opened)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        index += 1
    if string in ('"', "'"):
        string = None  # one-line strings end with their line
    return string, max(depth, 0)


@dataclass(frozen=True)
class _Source:
    """The config file's name, and where its keys are, for messages."""

    name: str
    lines: KeyLines
    prefix: tuple[str, ...] = ()  # ("tool", "uai18n") in pyproject.toml

    def error(self, message: str, path: tuple[str, ...]) -> UserError:
        """``uai18n.toml:LINE: message``, the line of ``path`` (or its table)."""
        line = self.lines.line(self.prefix + path)
        if line is None and len(path) > 1:
            line = self.lines.line(self.prefix + path[:-1])  # e.g. [languages.xx] itself
        return UserError(message, self.name, line)


def _parse(table: dict[str, Any], root: Path, src: _Source) -> Config:
    known = {
        "source_language",
        "segment",
        "formats",
        "languages",
        "defaults",
        "abbreviations",
        "checks",
        "engines",
        "memory",
        "weblate",
        "glossary",
    }
    for key in table:
        if key not in known:
            listed = ", ".join(sorted(known))
            raise src.error(f"unknown setting {key!r} (known: {listed})", (key,))
    source_code = _typed(table, (), "source_language", str, src, "en")
    source = _language(source_code, src, ("source_language",), "source_language")
    segment = _typed(table, (), "segment", str, src, "sentence")
    if segment not in SEGMENT_MODES:
        raise src.error(f"segment: expected one of {SEGMENT_MODES}, got {segment!r}", ("segment",))
    formats = tuple(_string_list(table, (), "formats", src, list(DEFAULT_FORMATS)))
    for fmt in formats:
        if fmt not in OUTPUT_FORMATS:
            raise src.error(
                f"formats: unknown format {fmt!r} (known: {OUTPUT_FORMATS})", ("formats",)
            )
    abbreviations = tuple(_string_list(table, (), "abbreviations", src, []))
    checks = _typed(table, (), "checks", dict, src, {})
    for key in checks:
        if key != "disabled":
            raise src.error(f"checks: unknown setting {key!r} (known: disabled)", ("checks", key))
    disabled = tuple(_string_list(checks, ("checks",), "disabled", src, []))
    defaults = _typed(table, (), "defaults", dict, src, {})
    languages_table = _typed(table, (), "languages", dict, src, {})
    policies = []
    engine_paths: dict[str, tuple[str, ...]] = {}
    for code, settings in languages_table.items():
        where = ("languages", code)
        normalized = _language(code, src, where, f"[{_dotted(where)}]")
        if normalized == source:
            raise src.error(f"[{_dotted(where)}] is the source language", where)
        if not isinstance(settings, dict):
            kind = type(settings).__name__
            raise src.error(f"[{_dotted(where)}] must be a table, got {kind}", where)
        merged = {**defaults, **settings}
        paths = {key: (*where, key) if key in settings else ("defaults", key) for key in merged}
        policies.append(_policy(normalized, merged, paths, src))
        engine_paths[normalized] = paths.get("engine", (*where, "engine"))
    codes = [policy.code for policy in policies]
    if len(set(codes)) != len(codes):
        raise src.error("a language is configured twice (e.g. pt-BR and pt_BR)", ("languages",))
    engines = _engines(_typed(table, (), "engines", dict, src, {}), src)
    engine_names = {engine.name for engine in engines} | set(ENGINE_KINDS)
    for policy in policies:
        if policy.engine is not None and policy.engine not in engine_names:
            path = engine_paths[policy.code]
            raise src.error(
                f"{_dotted(path)}: unknown engine {policy.engine!r} "
                f"(known: {', '.join(sorted(engine_names))})",
                path,
            )
    memory = _typed(table, (), "memory", dict, src, {})
    for key in memory:
        if key not in {"tmx", "min_score"}:
            raise src.error(
                f"memory: unknown setting {key!r} (known: min_score, tmx)", ("memory", key)
            )
    return Config(
        root=root,
        source_language=source,
        segment=segment,
        formats=formats,
        languages=tuple(policies),
        abbreviations=abbreviations,
        disabled_checks=disabled,
        engines=engines,
        memory_files=tuple(_string_list(memory, ("memory",), "tmx", src, ["memory/*.tmx"])),
        memory_min_score=_percentage(memory, ("memory", "min_score"), 75, src),
        weblate=_weblate(_typed(table, (), "weblate", dict, src, {}), src),
        glossary_keys=_glossary_keys(_typed(table, (), "glossary", dict, src, {}), src),
    )


def _glossary_keys(glossary: dict[str, Any], src: _Source) -> str:
    """``[glossary] keys``: a folder inside the project (committed, it makes a
    fresh clone's first check as fast as a rerun)."""
    for key in glossary:
        if key != "keys":
            raise src.error(f"glossary: unknown setting {key!r} (known: keys)", ("glossary", key))
    path = ("glossary", "keys")
    folder = _typed(glossary, ("glossary",), "keys", str, src, DEFAULT_GLOSSARY_KEYS)
    parts = PurePosixPath(folder.replace("\\", "/")).parts
    if not parts or parts[0] == "/" or ".." in parts or ":" in parts[0]:
        message = f"glossary.keys: expected a folder inside the project, got {folder!r}"
        raise src.error(message, path)
    return PurePosixPath(*parts).as_posix()


_WEBLATE_KEYS = ("url", "project", "token_env", "repo", "push", "branch", "name", "website")


def _weblate(table: dict[str, Any], src: _Source) -> WeblateSettings | None:
    if not table:
        return None
    for key in table:
        if key not in _WEBLATE_KEYS:
            raise src.error(
                f"weblate: unknown setting {key!r} (known: {', '.join(_WEBLATE_KEYS)})",
                ("weblate", key),
            )
    values = {key: _optional_string(table, ("weblate", key), src) for key in _WEBLATE_KEYS}
    for key in ("url", "project"):
        if not values[key]:
            raise src.error(f"[weblate] needs {key}", ("weblate",))
    url = values["url"] or ""
    if not re.match(r"https?://[^/\s]+", url):
        raise src.error(f"weblate.url: expected an http(s) URL, got {url!r}", ("weblate", "url"))
    project = values["project"] or ""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", project):
        raise src.error(
            f"weblate.project: expected a Weblate slug (letters, digits, - and _), got {project!r}",
            ("weblate", "project"),
        )
    token_env = values["token_env"] or "WEBLATE_TOKEN"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token_env):
        raise src.error(
            f"weblate.token_env: expected an environment variable name, got {token_env!r}",
            ("weblate", "token_env"),
        )
    return WeblateSettings(
        url=url.rstrip("/"),
        project=project,
        token_env=token_env,
        repo=values["repo"],
        push=values["push"],
        branch=values["branch"] or "main",
        project_name=values["name"],
        website=values["website"],
    )


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _language(code: object, src: _Source, path: tuple[str, ...], what: str) -> str:
    """A validated language code; a bad one is reported at its line."""
    try:
        return validate_language(code)
    except UserError as error:
        raise src.error(f"{what}: {error.message}", path) from None


def _engines(table: dict[str, Any], src: _Source) -> tuple[EngineSettings, ...]:
    """``[engines.NAME]`` tables: kind (default: NAME), url, api_key_env, region, free_api."""
    known = {"kind", "url", "api_key_env", "region", "free_api"}
    engines = []
    for engine, settings in sorted(table.items()):
        where = ("engines", engine)
        if not isinstance(settings, dict):
            raise src.error(f"[{_dotted(where)}] must be a table", where)
        for key in settings:
            if key not in known:
                listed = ", ".join(sorted(known))
                raise src.error(
                    f"{_dotted(where)}: unknown setting {key!r} (known: {listed})", (*where, key)
                )
        kind = settings.get("kind", engine)
        if kind not in ENGINE_KINDS:
            kinds = ", ".join(sorted(ENGINE_KINDS))
            raise src.error(
                f"{_dotted(where)}.kind: unknown engine kind {kind!r} (known: {kinds})",
                (*where, "kind"),
            )
        values = {}
        for key in ("url", "api_key_env", "region"):
            values[key] = _optional_string(settings, (*where, key), src)
        free = _flag(settings, (*where, "free_api"), src, default=True)
        engines.append(EngineSettings(engine, kind, free_api=free, **values))
    return tuple(engines)


def _policy(
    code: str, settings: dict[str, Any], paths: dict[str, tuple[str, ...]], src: _Source
) -> LanguagePolicy:
    """One language's policy; ``paths`` says where each key was written
    (``languages.fr.KEY`` or ``defaults.KEY``)."""
    known = {
        "required",
        "min_translated",
        "min_reviewed",
        "fuzzy_counts",
        "disabled_checks",
        "glossary_disabled",
        "engine",
        "machine_text",
    }
    for key in settings:
        if key not in known:
            listed = ", ".join(sorted(known))
            table = _dotted(paths[key][:-1])
            raise src.error(f"{table}: unknown setting {key!r} (known: {listed})", paths[key])

    def path(key: str) -> tuple[str, ...]:
        return paths.get(key, (key,))

    return LanguagePolicy(
        code=code,
        required=_flag(settings, path("required"), src),
        min_translated=_percentage(settings, path("min_translated"), 100, src),
        min_reviewed=_percentage(settings, path("min_reviewed"), 0, src),
        fuzzy_counts=_flag(settings, path("fuzzy_counts"), src),
        disabled_checks=tuple(
            _string_list(settings, path("disabled_checks")[:-1], "disabled_checks", src, [])
        ),
        glossary_disabled=tuple(
            _string_list(settings, path("glossary_disabled")[:-1], "glossary_disabled", src, [])
        ),
        engine=_optional_string(settings, path("engine"), src),
        machine_text=_flag(settings, path("machine_text"), src),
    )


def _optional_string(settings: dict[str, Any], path: tuple[str, ...], src: _Source) -> str | None:
    value = settings.get(path[-1])
    if value is not None and not isinstance(value, str):
        raise src.error(f"{_dotted(path)}: expected a string, got {value!r}", path)
    return value


def _flag(
    settings: dict[str, Any], path: tuple[str, ...], src: _Source, *, default: bool = False
) -> bool:
    value = settings.get(path[-1], default)
    if not isinstance(value, bool):
        raise src.error(f"{_dotted(path)}: expected true or false, got {value!r}", path)
    return value


def _percentage(
    settings: dict[str, Any], path: tuple[str, ...], default: float, src: _Source
) -> float:
    value = settings.get(path[-1], default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise src.error(f"{_dotted(path)}: expected a percentage 0-100, got {value!r}", path)
    return float(value)


def _typed(
    table: dict[str, Any], where: tuple[str, ...], key: str, kind: type, src: _Source, default: Any
) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind):
        expected = {str: "a string", dict: "a table", list: "a list"}[kind]
        path = (*where, key)
        raise src.error(f"{_dotted(path)}: expected {expected}, got {value!r}", path)
    return value


def _string_list(
    table: dict[str, Any], where: tuple[str, ...], key: str, src: _Source, default: list[str]
) -> list[str]:
    value = _typed(table, where, key, list, src, default)
    for item in value:
        if not isinstance(item, str):
            path = (*where, key)
            raise src.error(f"{_dotted(path)}: expected a list of strings, got {item!r}", path)
    return value
