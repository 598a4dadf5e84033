"""Golden files (pytest-regressions): the bundled UA's template and outputs.

Regenerate after an intended change with ``pytest --force-regen`` and review
the diff like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def built(project: Path, cli) -> Path:
    result = cli("-C", str(project), "run")
    assert result.exit_code == 0, result.output
    return project


def test_template_of_the_bundled_ua(project: Path, cli, file_regression) -> None:
    pot = project / "po" / "templates" / "ua-2-19-chechnya.pot"
    pot.unlink()  # extract anew, dated by SOURCE_DATE_EPOCH
    assert cli("-C", str(project), "extract").exit_code == 0
    file_regression.check(pot.read_text("utf-8"), extension=".pot")


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("ending", [".txt", ".html"])
def test_built_documents(built: Path, lang: str, ending: str, file_regression) -> None:
    output = built / "output" / lang / f"ua-2-19-chechnya{ending}"
    file_regression.check(
        output.read_text("utf-8"), extension=ending, basename=f"ua-2-19-chechnya-{lang}"
    )


def test_committed_outputs_are_what_the_build_makes(built: Path) -> None:
    """What section offices pull from the repository is up to date."""
    repo = Path(__file__).resolve().parent.parent
    for folder in ("po", "output"):
        for path in sorted((built / folder).rglob("*")):
            if path.is_file():
                committed = repo / path.relative_to(built)
                assert committed.exists(), f"{committed} is not committed"
                assert committed.read_bytes() == path.read_bytes(), f"{committed} is out of date"
