"""Shared fixtures: a throwaway copy of the bundled project per test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from translate_server import translate_server  # noqa: F401  (the fixture, for every test)

from uai18n.cli import main

REPO = Path(__file__).resolve().parent.parent
UA_DIR = Path(__file__).resolve().parent / "data" / "uas"
BUNDLED_UA = REPO / "source" / "ua-2-19-chechnya.txt"


@pytest.fixture(autouse=True)
def _reproducible_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Header dates come from SOURCE_DATE_EPOCH so golden files are stable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764151200")  # 2025-11-26 10:00 UTC


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project (config, source, templates, catalogues, glossary)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "uai18n.toml", root / "uai18n.toml")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "po", root / "po")
    shutil.copytree(REPO / "glossary", root / "glossary")
    return root


@pytest.fixture
def cli():
    """Run the CLI in-process; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a file of a test project: ``old`` must be there."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def gettext_or_skip(tool: str = "msgcat") -> str:
    """The path of a GNU gettext tool; skip without it, except in CI
    (UAI18N_REQUIRE_GETTEXT=1), where a missing gettext is a failure."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("UAI18N_REQUIRE_GETTEXT"):
            pytest.fail(f"{tool} not found but UAI18N_REQUIRE_GETTEXT is set")
        pytest.skip(f"GNU gettext ({tool}) not installed")
    return path


def pdf_fonts_or_skip() -> None:
    """Skip PDF tests without Pango or the fonts for Arabic and Chinese, except
    in CI (UAI18N_REQUIRE_FONTS=1), where .ci/run installs them."""
    problem = None
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        problem = f"WeasyPrint cannot load Pango: {error}"
    if problem is None:
        fc_list = shutil.which("fc-list")
        for language in ("ar", "zh"):
            found = (
                subprocess.run(
                    [fc_list, f":lang={language}", "family"], capture_output=True, text=True
                ).stdout
                if fc_list
                else ""
            )
            if "Noto" not in found:
                problem = (
                    f"no Noto font for {language} (apt-get install fonts-noto-core fonts-noto-cjk)"
                )
    if problem:
        if os.environ.get("UAI18N_REQUIRE_FONTS"):
            pytest.fail(problem + " but UAI18N_REQUIRE_FONTS is set")
        pytest.skip(problem)
