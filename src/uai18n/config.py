"""``uai18n.toml`` read into a frozen :class:`Config`.

Every value is type-checked here, so stages can trust the config and a typo
ends in one line naming the file and the key, not a traceback later.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uai18n.errors import UserError
from uai18n.locales import validate_language

CONFIG_NAME = "uai18n.toml"
SEGMENT_MODES = ("sentence", "paragraph")
OUTPUT_FORMATS = ("txt", "html", "pdf", "docx")  # docx: only from docx sources
DEFAULT_FORMATS = ("txt", "html")  # PDFs only when asked: they take the most time


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
    if path.is_file():
        table = _read_toml(path)
    elif (root / "pyproject.toml").is_file():
        path = root / "pyproject.toml"
        table = _read_toml(path).get("tool", {}).get("uai18n")
        if table is None:
            raise UserError(f"no {CONFIG_NAME} and no [tool.uai18n] table here", path)
    else:
        raise UserError(f"no {CONFIG_NAME} here (run in a project or use -C DIR)", root)
    return _parse(table, root, path.name)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", path.name) from None
    except UnicodeDecodeError as error:
        raise UserError(f"not UTF-8 (byte {error.start})", path.name) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = re.search(r"at line (\d+)", message)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise UserError(message, path.name, int(line.group(1)) if line else None) from None


def _parse(table: dict[str, Any], root: Path, name: str) -> Config:
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
    }
    for key in table:
        if key not in known:
            raise UserError(f"unknown setting {key!r} (known: {', '.join(sorted(known))})", name)
    source = validate_language(_typed(table, "source_language", str, name, "en"), name)
    segment = _typed(table, "segment", str, name, "sentence")
    if segment not in SEGMENT_MODES:
        raise UserError(f"segment: expected one of {SEGMENT_MODES}, got {segment!r}", name)
    formats = tuple(_string_list(table, "formats", name, list(DEFAULT_FORMATS)))
    for fmt in formats:
        if fmt not in OUTPUT_FORMATS:
            raise UserError(f"formats: unknown format {fmt!r} (known: {OUTPUT_FORMATS})", name)
    abbreviations = tuple(_string_list(table, "abbreviations", name, []))
    checks = _typed(table, "checks", dict, name, {})
    for key in checks:
        if key != "disabled":
            raise UserError(f"checks: unknown setting {key!r} (known: disabled)", name)
    disabled = tuple(_string_list(checks, "disabled", name, []))
    defaults = _typed(table, "defaults", dict, name, {})
    languages_table = _typed(table, "languages", dict, name, {})
    policies = []
    for code, settings in languages_table.items():
        where = f"languages.{code}"
        normalized = validate_language(code, f"{name}: [{where}]")
        if normalized == source:
            raise UserError(f"[{where}] is the source language", name)
        if not isinstance(settings, dict):
            raise UserError(f"[{where}] must be a table, got {type(settings).__name__}", name)
        merged = {**defaults, **settings}
        policies.append(_policy(normalized, merged, name, where))
    codes = [policy.code for policy in policies]
    if len(set(codes)) != len(codes):
        raise UserError("a language is configured twice (e.g. pt-BR and pt_BR)", name)
    engines = _engines(_typed(table, "engines", dict, name, {}), name)
    engine_names = {engine.name for engine in engines} | set(ENGINE_KINDS)
    for policy in policies:
        if policy.engine is not None and policy.engine not in engine_names:
            raise UserError(
                f"languages.{policy.code}.engine: unknown engine {policy.engine!r} "
                f"(known: {', '.join(sorted(engine_names))})",
                name,
            )
    memory = _typed(table, "memory", dict, name, {})
    for key in memory:
        if key not in {"tmx", "min_score"}:
            raise UserError(f"memory: unknown setting {key!r} (known: min_score, tmx)", name)
    return Config(
        root=root,
        source_language=source,
        segment=segment,
        formats=formats,
        languages=tuple(policies),
        abbreviations=abbreviations,
        disabled_checks=disabled,
        engines=engines,
        memory_files=tuple(_string_list(memory, "tmx", f"{name}: memory", ["memory/*.tmx"])),
        memory_min_score=_percentage(memory, "min_score", 75, name, "memory"),
    )


def _engines(table: dict[str, Any], name: str) -> tuple[EngineSettings, ...]:
    """``[engines.NAME]`` tables: kind (default: NAME), url, api_key_env, region, free_api."""
    known = {"kind", "url", "api_key_env", "region", "free_api"}
    engines = []
    for engine, settings in sorted(table.items()):
        where = f"engines.{engine}"
        if not isinstance(settings, dict):
            raise UserError(f"[{where}] must be a table", name)
        for key in settings:
            if key not in known:
                listed = ", ".join(sorted(known))
                raise UserError(f"{where}: unknown setting {key!r} (known: {listed})", name)
        kind = settings.get("kind", engine)
        if kind not in ENGINE_KINDS:
            kinds = ", ".join(sorted(ENGINE_KINDS))
            raise UserError(f"{where}.kind: unknown engine kind {kind!r} (known: {kinds})", name)
        values = {}
        for key in ("url", "api_key_env", "region"):
            value = settings.get(key)
            if value is not None and not isinstance(value, str):
                raise UserError(f"{where}.{key}: expected a string, got {value!r}", name)
            values[key] = value
        free = settings.get("free_api", True)
        if not isinstance(free, bool):
            raise UserError(f"{where}.free_api: expected true or false, got {free!r}", name)
        engines.append(EngineSettings(engine, kind, free_api=free, **values))
    return tuple(engines)


def _policy(code: str, settings: dict[str, Any], name: str, where: str) -> LanguagePolicy:
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
            raise UserError(f"{where}: unknown setting {key!r} (known: {listed})", name)
    return LanguagePolicy(
        code=code,
        required=_flag(settings, "required", name, where),
        min_translated=_percentage(settings, "min_translated", 100, name, where),
        min_reviewed=_percentage(settings, "min_reviewed", 0, name, where),
        fuzzy_counts=_flag(settings, "fuzzy_counts", name, where),
        disabled_checks=tuple(_string_list(settings, "disabled_checks", f"{name}: {where}", [])),
        glossary_disabled=tuple(
            _string_list(settings, "glossary_disabled", f"{name}: {where}", [])
        ),
        engine=_optional_string(settings, "engine", name, where),
        machine_text=_flag(settings, "machine_text", name, where),
    )


def _optional_string(settings: dict[str, Any], key: str, name: str, where: str) -> str | None:
    value = settings.get(key)
    if value is not None and not isinstance(value, str):
        raise UserError(f"{where}.{key}: expected a string, got {value!r}", name)
    return value


def _flag(settings: dict[str, Any], key: str, name: str, where: str) -> bool:
    value = settings.get(key, False)
    if not isinstance(value, bool):
        raise UserError(f"{where}.{key}: expected true or false, got {value!r}", name)
    return value


def _percentage(settings: dict[str, Any], key: str, default: float, name: str, where: str) -> float:
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise UserError(f"{where}.{key}: expected a percentage 0-100, got {value!r}", name)
    return float(value)


def _typed(table: dict[str, Any], key: str, kind: type, name: str, default: Any) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind):
        expected = {str: "a string", dict: "a table", list: "a list"}[kind]
        raise UserError(f"{key}: expected {expected}, got {value!r}", name)
    return value


def _string_list(table: dict[str, Any], key: str, name: str, default: list[str]) -> list[str]:
    value = _typed(table, key, list, name, default)
    for item in value:
        if not isinstance(item, str):
            raise UserError(f"{key}: expected a list of strings, got {item!r}", name)
    return value
