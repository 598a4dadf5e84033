"""The round trip with a real Weblate 5.14.3 on PostgreSQL 15 (tests/weblate_server.py).

A clone of the bundled project (plus Japanese, for CJK) is pushed to a bare
repository that Weblate clones; ``uai18n weblate sync`` makes the components;
the test edits units through Weblate's API as translators and reviewers
would (a fuzzy one, a signed-off one, an empty one, CJK and French
typography), approves one, has Weblate commit and push, pulls, and runs
``pull-reviews``, ``run`` and ``check`` on what Weblate wrote.

Skipped, saying why, where ``scripts/install-weblate`` has not run; in CI
(``UAI18N_REQUIRE_WEBLATE=1``) a missing Weblate is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import weblate_server
import wlc
from click.testing import CliRunner
from conftest import REPO, gettext_or_skip

from uai18n.cli import main
from uai18n.po import read_catalog

DOC = "ua-2-19-chechnya"
SECOND = "ua-2-19-chechnya-copy"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}

SIGNED = "Around 40 people believed to be gay or lesbian"  # start of the fr entry signed off
FRENCH = (
    "Au moins 40 personnes ont été détenues arbitrairement — d’après « nos sources » — "
    "et torturées en Tchétchénie (une république du sud de la Russie)\u202f?"
)
JAPANESE = (
    "少なくとも40人がチェチェンで恣意的に拘禁され、拷問を受けた。チェチェンはロシア南部の共和国である。"
    "当局は2018年12月末以降、新たな同性愛嫌悪の攻撃を開始した。"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[weblate_server.Weblate]:
    reason = weblate_server.missing()
    if reason is not None:
        if os.environ.get("UAI18N_REQUIRE_WEBLATE"):
            pytest.fail(f"{reason} (UAI18N_REQUIRE_WEBLATE is set)")
        pytest.skip(reason)
    with weblate_server.start(tmp_path_factory.mktemp("weblate")) as running:
        yield running


def _git(cwd: Path, *args: str) -> str:
    run = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def _uai18n(root: Path, token: str, *args: str) -> Any:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env={"WEBLATE_TOKEN": token})
    assert "Traceback" not in result.output, result.output
    return result


def _clone(tmp_path: Path, url: str, project: str) -> tuple[Path, Path]:
    """A working clone of the bundled project with Japanese added, and its bare remote."""
    work = tmp_path / "work"
    work.mkdir()
    for name in ("source", "po", "glossary"):
        shutil.copytree(REPO / name, work / name)
    # a second document: its component shares the first one's clone
    shutil.copyfile(work / "source" / f"{DOC}.txt", work / "source" / f"{SECOND}.txt")
    remote = tmp_path / "remote.git"
    config = (REPO / "uai18n.toml").read_text("utf-8") + "\n[languages.ja]\n"
    config += (
        f'\n[weblate]\nurl = "{url}"\nproject = "{project}"\n'
        f'repo = "file://{remote}"\npush = "file://{remote}"\nbranch = "main"\n'
        'website = "https://example.org/ua"\n'
    )
    (work / "uai18n.toml").write_text(config, "utf-8")
    assert _uai18n(work, "", "run").exit_code in (0, 1)
    fr = read_catalog(work / f"po/fr/{DOC}.po")
    signed = next(entry for entry in fr if entry.msgid.startswith(SIGNED))
    result = _uai18n(
        work, "", "review", "--lang", "fr", "--doc", DOC, "--by", "Ana", "--entry", signed.msgid
    )
    assert result.exit_code == 0, result.output
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", "bundled project")
    _git(tmp_path, "clone", "-q", "--bare", str(work), str(remote))
    _git(work, "remote", "add", "origin", str(remote))
    _git(work, "fetch", "-q", "origin")
    _git(work, "branch", "-q", "--set-upstream-to=origin/main", "main")
    return work, remote


def _po_bytes(work: Path) -> dict[str, bytes]:
    return {str(p.relative_to(work)): p.read_bytes() for p in sorted(work.glob("po/*/*.po"))}


def _unit(api: wlc.Weblate, language: str, start: str) -> dict[str, Any]:
    path = f"translations/ua/{DOC}/{language}/units/"
    for unit in api.get(path, params={"q": f'source:"{start}"'})["results"]:
        if unit["source"][0].startswith(start):
            return unit
    raise AssertionError(f"no {language} unit starting {start!r}")


def _edit(api: wlc.Weblate, unit: dict[str, Any], target: str | None, state: int) -> None:
    text = unit["target"] if target is None else [target]
    api.request("patch", f"units/{unit['id']}/", data={"target": text, "state": state})


def test_weblate_round_trip(server: weblate_server.Weblate, tmp_path: Path) -> None:
    work, _ = _clone(tmp_path, server.url.rstrip("/"), "ua")
    token = server.token
    api = wlc.Weblate(key=token, url=server.url + "api/")

    # sync: one component per document, then nothing to do
    first = _uai18n(work, token, "weblate", "sync")
    assert first.exit_code == 0, first.output
    assert f"created component ua/{DOC}" in first.output
    assert f"created component ua/{SECOND}" in first.output
    linked = api.get(f"components/ua/{SECOND}/")["linked_component"]
    assert linked.rstrip("/").endswith(f"/components/ua/{DOC}")
    assert "glossary fr:" in first.output
    again = _uai18n(work, token, "weblate", "sync")
    assert again.exit_code == 0, again.output
    assert again.output.startswith("unchanged:"), again.output
    glossary = api.get("translations/ua/glossary/fr/units/", params={"q": 'source:"torture"'})
    assert any(unit["target"] == ["torture"] for unit in glossary["results"])

    # Weblate counts what uai18n status counts
    status = json.loads(_uai18n(work, token, "status", "--format", "json").output)
    ours = {(row["document"], row["lang"]): row["entries"] for row in status["catalogues"]}
    theirs = {
        (document, t["language_code"]): t
        for document in (DOC, SECOND)
        for t in api.get(f"components/ua/{document}/translations/")["results"]
        if not t["is_source"]
    }
    assert set(theirs) == set(ours)
    for key, entries in ours.items():
        done = entries["translated"] + entries["reviewed"] + entries["stale"]
        assert theirs[key]["translated"] == done, key
        assert theirs[key]["total"] == sum(entries.values()), key

    # translators and a reviewer at work in Weblate
    _edit(api, _unit(api, "fr", SIGNED), "Environ 40 personnes ont été arrêtées.", 20)
    _edit(api, _unit(api, "fr", "At least 40 individuals"), FRENCH, 20)
    _edit(api, _unit(api, "fr", "At least two people"), None, 10)  # marked fuzzy
    _edit(api, _unit(api, "ru", "URGENT ACTION"), "СРОЧНЫЕ ДЕЙСТВИЯ", 20)  # was empty
    _edit(api, _unit(api, "ja", "At least 40 individuals"), JAPANESE, 20)
    approved = _unit(api, "es", "Dear President")
    _edit(api, approved, None, 30)
    for operation in ("commit", "push"):
        answer = api.request(
            "post", f"components/ua/{DOC}/repository/", data={"operation": operation}
        )
        assert answer["result"], answer
    _git(work, "pull", "-q", "--ff-only")
    assert "СРОЧНЫЕ ДЕЙСТВИЯ" in (work / f"po/ru/{DOC}.po").read_text("utf-8")
    assert "X-Generator: Weblate" in (work / f"po/fr/{DOC}.po").read_text("utf-8")

    # approvals become sign-offs, named after the approving user
    dry = _uai18n(work, token, "weblate", "pull-reviews", "--dry-run")
    assert f"po/es/{DOC}.po: 1 would be signed off" in dry.output, dry.output
    pulled = _uai18n(work, token, "weblate", "pull-reviews")
    assert pulled.exit_code == 0, pulled.output
    es = read_catalog(work / f"po/es/{DOC}.po")
    dear = next(entry for entry in es if entry.msgid == "Dear President,")
    assert dear.tcomment.startswith("reviewed: Admin ")
    assert "no change" in _uai18n(work, token, "weblate", "pull-reviews").output

    # living beside Weblate: run changes no byte of what Weblate wrote
    before = _po_bytes(work)
    run = _uai18n(work, token, "run")
    assert run.exit_code in (0, 1), run.output
    assert _po_bytes(work) == before
    msgfmt = gettext_or_skip("msgfmt")
    for name in before:
        checked = subprocess.run([msgfmt, "-c", "-o", "/dev/null", name], cwd=work,
                                 capture_output=True, text=True)  # fmt: skip
        assert checked.returncode == 0, checked.stderr

    # the signed-off entry Weblate changed: its sign-off is stale
    check = _uai18n(work, token, "check", "--lang", "fr")
    assert "stale" in check.output and check.exit_code == 1, check.output

    # a revoked approval takes the sign-off back
    _edit(api, _unit(api, "es", "Dear President"), None, 20)
    revoked = _uai18n(work, token, "weblate", "pull-reviews")
    assert f"po/es/{DOC}.po: 0 signed off, 1 unsigned" in revoked.output, revoked.output
    es = read_catalog(work / f"po/es/{DOC}.po")
    dear = next(entry for entry in es if entry.msgid == "Dear President,")
    assert "reviewed:" not in (dear.tcomment or "")


def test_clash_and_bad_token_against_real_weblate(
    server: weblate_server.Weblate, tmp_path: Path
) -> None:
    work, remote = _clone(tmp_path, server.url.rstrip("/"), "clash")
    api = wlc.Weblate(key=server.token, url=server.url + "api/")
    api.request("post", "projects/", data={"name": "Clash", "slug": "clash",
                                           "web": "https://example.org/"})  # fmt: skip
    api.request(
        "post", "projects/clash/components/",
        data={"name": DOC, "slug": "someone-else", "vcs": "git", "repo": f"file://{remote}",
              "branch": "main", "file_format": "po", "filemask": f"po/*/{DOC}.po",
              "new_base": f"po/templates/{DOC}.pot"},
    )  # fmt: skip
    before = _po_bytes(work)
    clash = _uai18n(work, server.token, "weblate", "sync")
    assert clash.exit_code == 2, clash.output
    assert f"component name '{DOC}' is taken by component 'someone-else'" in clash.output
    assert len(clash.output.strip().splitlines()) == 1
    bad = _uai18n(work, "wlu_not_a_token", "weblate", "sync")
    assert bad.exit_code == 2 and "refused the API token" in bad.output, bad.output
    assert _po_bytes(work) == before


def test_prune_removes_only_with_prune(server: weblate_server.Weblate, tmp_path: Path) -> None:
    """A document gone from source/ and an add-on that would rewrite our PO files
    are reported by sync and removed only by sync --prune."""
    work, _ = _clone(tmp_path, server.url.rstrip("/"), "prune")
    token = server.token
    api = wlc.Weblate(key=token, url=server.url + "api/")
    assert _uai18n(work, token, "weblate", "sync").exit_code == 0
    api.request(
        "post", f"components/prune/{DOC}/addons/", data={"name": "weblate.gettext.msgmerge"}
    )
    (work / "source" / f"{SECOND}.txt").unlink()
    kept = _uai18n(work, token, "weblate", "sync")
    assert kept.exit_code == 0, kept.output
    assert f"note: component prune/{SECOND} has no document in source/" in kept.output
    assert f"note: add-on weblate.gettext.msgmerge on prune/{DOC}" in kept.output
    assert api.get(f"components/prune/{SECOND}/")["slug"] == SECOND
    pruned = _uai18n(work, token, "weblate", "sync", "--prune")
    assert pruned.exit_code == 0, pruned.output
    assert f"removed component prune/{SECOND}" in pruned.output
    assert f"removed add-on weblate.gettext.msgmerge from prune/{DOC}" in pruned.output
    slugs = {c["slug"] for c in api.get("projects/prune/components/")["results"]}
    assert SECOND not in slugs and DOC in slugs
    assert api.get(f"components/prune/{DOC}/")["addons"] == []
