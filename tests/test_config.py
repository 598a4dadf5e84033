"""uai18n.toml: every wrong type or value is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from uai18n.config import load_config
from uai18n.errors import UserError


def _load(tmp_path: Path, text: str):
    (tmp_path / "uai18n.toml").write_text(text, "utf-8")
    return load_config(tmp_path)


def test_bundled_config_loads() -> None:
    config = load_config(Path(__file__).resolve().parent.parent)
    assert config.source_language == "en"
    assert [p.code for p in config.languages] == ["fr", "es", "ru", "ar", "de", "pt"]
    assert config.policy("fr").required and not config.policy("ar").required


def test_defaults_apply_to_languages(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "[defaults]\nmin_translated = 80\n[languages.pt-BR]\n[languages.de]\nmin_translated = 50\n",
    )
    assert [(p.code, p.min_translated) for p in config.languages] == [
        ("pt_BR", 80.0),
        ("de", 50.0),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source_language = 3\n", "source_language: expected a string"),
        ('segment = "word"\n', "segment: expected one of"),
        (
            '[languages.fr]\nmin_translated = "all"\n',
            "languages.fr.min_translated: expected a percentage",
        ),
        ("[languages.fr]\nmin_translated = 120\n", "expected a percentage"),
        (
            '[languages.fr]\nrequired = "yes"\n',
            "languages.fr.required: expected true or false",
        ),
        ('[languages."../evil"]\n', "is not a language code"),
        ("[languages.xx]\n", "unknown language code"),
        ("[languages.en]\n", "is the source language"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ('formats = ["pdf"]\n', "unknown format 'pdf'"),
        ("languages = 3\n", "languages: expected a table"),
    ],
)
def test_bad_config_is_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        _load(tmp_path, text)
    assert "uai18n.toml" in str(caught.value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"^uai18n.toml:3: "):
        _load(tmp_path, 'source_language = "en"\n\n[languages.fr\n')


def test_missing_config(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"no uai18n\.toml"):
        load_config(tmp_path)
