"""uai18n.toml: every wrong type or value is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from uai18n.config import KeyLines, load_config
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
        ('formats = ["odt"]\n', "unknown format 'odt'"),
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


def test_the_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = _load(tmp_path, example)
    fr = config.policy("fr")
    assert fr.engine == "deepl" and not fr.machine_text
    deepl = config.engine("deepl")
    assert (deepl.kind, deepl.key_variable, deepl.free_api) == ("deepl", "DEEPL_API_KEY", True)
    libre = config.engine("office-libre")
    assert (libre.kind, libre.url) == ("libre", "http://127.0.0.1:5000/")
    assert config.engine("google").key_variable is None  # a kind by its own name
    assert config.memory_files == ("memory/*.tmx",) and config.memory_min_score == 75


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[engines.x]\nkind = "babel"\n', "engines.x.kind: unknown engine kind 'babel'"),
        ("[engines.deepl]\nurl = 5\n", "engines.deepl.url: expected a string"),
        ("[engines.deepl]\nkey = 'abc'\n", "engines.deepl: unknown setting 'key'"),
        ('[languages.fr]\nengine = "nope"\n', "languages.fr.engine: unknown engine 'nope'"),
        ("[languages.fr]\nmachine_text = 1\n", "languages.fr.machine_text: expected true or false"),
        ("[memory]\nmin_score = 120\n", "memory.min_score: expected a percentage"),
        ("[memory]\nfiles = []\n", "memory: unknown setting 'files'"),
        ("[glossary]\nkeys = 3\n", "uai18n.toml:2: glossary.keys: expected a string"),
        ('[glossary]\nkeys = "/tmp/keys"\n', "uai18n.toml:2: glossary.keys: expected a folder"),
        ('[glossary]\nkeys = "../keys"\n', "glossary.keys: expected a folder inside the project"),
        ('[glossary]\nkeys = "C:\\\\keys"\n', "glossary.keys: expected a folder inside"),
        ('[glossary]\nkeys = ""\n', "glossary.keys: expected a folder inside the project"),
        ('[glossary]\nfiles = "x"\n', "uai18n.toml:2: glossary: unknown setting 'files'"),
    ],
)
def test_bad_engine_and_memory_settings(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UserError) as caught:
        _load(tmp_path, text)
    assert message in str(caught.value)
    assert str(caught.value).startswith("uai18n.toml")


LAYOUT = """\
# uai18n.toml with the layouts people write
source_language = "en"
formats = [
    "txt",
    "html",  # a comment = with an equals sign
]
abbreviations = ['Ul.', "No. = x"]

[engines.office]
kind = "libre"
url = \"\"\"
[languages.fr]
min_translated = "not a key: inside a string"\nrequired = 3
\"\"\"

[defaults]
min_translated = 90

[languages.fr]
required = true
min_translated = 80

[languages."pt-BR"]   # quoted
required = false

[languages]
de.required = true
es = { required = true, min_translated = 50 }

[engines.deepl]
free_api = true
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "min_translated = 80",
            'min_translated = "x"',
            "uai18n.toml:22: languages.fr.min_translated",
        ),
        ("required = true\nmin", "required = 3\nmin", "uai18n.toml:21: languages.fr.required"),
        ("required = false", 'required = "no"', "uai18n.toml:25: languages.pt-BR.required"),
        ("de.required = true", "de.required = 1", "uai18n.toml:28: languages.de.required"),
        ("min_translated = 50 }", "min_translated = 500 }", "uai18n.toml:29: languages.es.min"),
        ("min_translated = 90", "min_translated = -1", "uai18n.toml:18: defaults.min_translated"),
        ("free_api = true", "free_api = 1", "uai18n.toml:32: engines.deepl.free_api"),
        ("free_api = true", "colour = 1", "uai18n.toml:32: engines.deepl: unknown setting"),
        ('kind = "libre"', 'kind = "babel"', "uai18n.toml:10: engines.office.kind"),
        ("required = true\nmin", "requierd = true\nmin", "uai18n.toml:21: languages.fr: unknown"),
        ('"html",  #', '"odt",  #', "uai18n.toml:3: formats: unknown format 'odt'"),
        ("['Ul.',", "[3,", "uai18n.toml:7: abbreviations: expected a list of strings"),
        ('[languages."pt-BR"]', "[languages.xx]", "uai18n.toml:24: [languages.xx]: unknown"),
        ('source_language = "en"', "source_language = 3", "uai18n.toml:2: source_language"),
        ('source_language = "en"', 'source_language = "fr"', "uai18n.toml:20: [languages.fr] is"),
    ],
)
def test_value_errors_name_the_line_of_the_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert _load(tmp_path, LAYOUT).policy("es").min_translated == 50  # the layout is valid
    assert old in LAYOUT
    with pytest.raises(UserError) as caught:
        _load(tmp_path, LAYOUT.replace(old, new, 1))
    assert str(caught.value).startswith(expected), str(caught.value)


def test_key_lines_places_keys_or_says_it_cannot() -> None:
    lines = KeyLines('a = 1\n[t]\nx = { y = 2 }\n"q.r".s = 3\n')
    assert lines.line(("a",)) == 1 and lines.line(("t",)) == 2
    assert lines.line(("t", "x", "y")) == 3  # inside a one-line inline table
    assert lines.line(("t", "q.r", "s")) == 4
    assert lines.line(("b",)) is None and lines.line(("t", "z")) is None


def test_pyproject_table_lines(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.uai18n.languages.fr]\nrequired = "yes"\n', "utf-8"
    )
    with pytest.raises(UserError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (
        "pyproject.toml:5: languages.fr.required: expected true or false, got 'yes'"
    )


def test_the_glossary_key_store_folder(tmp_path: Path) -> None:
    assert _load(tmp_path, "").glossary_keys_dir == tmp_path / ".uai18n" / "glossary-keys"
    config = _load(tmp_path, '[glossary]\nkeys = "glossary/./keys/"\n')
    assert config.glossary_keys_dir == tmp_path / "glossary" / "keys"
