"""Weblate as the team's translation server.

``sync`` makes Weblate mirror ``source/``: one component per document
(``file_format=po``, ``filemask=po/*/<doc>.po``, ``new_base`` the
document's template, so Weblate counts what ``uai18n status`` counts), the
first one cloning ``[weblate] repo`` and the others sharing its clone
(``weblate://project/component``); the project glossary goes into
Weblate's glossary. It changes only what differs, so a second run says
"unchanged", and removes nothing (components of documents that left
``source/``, add-ons that would rewrite our files) without ``--prune``.

``pull_reviews`` brings Weblate's approvals into the PO files as our
sign-offs (Weblate keeps "approved" only in its database), named after the
user Weblate's change history says approved the string, and takes back the
sign-offs of approvals Weblate revoked.

All calls go through Weblate's own client, ``wlc``; every failure becomes a
:class:`~uai18n.errors.UserError` naming the server. The API token is read
from the environment variable ``[weblate] token_env`` names, and never
written anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import wlc
from lxml import etree

from uai18n.config import WeblateSettings
from uai18n.errors import UserError
from uai18n.glossary.load import Glossary, Status, Term, load_glossary
from uai18n.po import read_catalog, write_catalog
from uai18n.project import Project
from uai18n.review import check_reviewer, sign, unsign
from uai18n.states import approval_hash, forms, is_live, sign_offs
from uai18n.timestamps import now

#: Weblate's unit state for an approved string, and its change action "Translation approved".
APPROVED = 30
ACTION_APPROVED = 36

#: Add-ons that rewrite our PO files (msgmerge, wrapping, cleanup) and so fight ``update``.
FIGHTING_ADDONS = frozenset(
    {
        "weblate.gettext.msgmerge",
        "weblate.gettext.customize",
        "weblate.cleanup.generic",
        "weblate.cleanup.blank",
    }
)


class PartialSync(UserError):
    """The server failed after some changes were made: the CLI says which, exit 1."""

    def __init__(self, error: UserError, done: list[str]):
        self.done = done
        super().__init__(f"{error.message} (after: {'; '.join(done)})", error.path)


# --- the server -----------------------------------------------------------------


class NotFound(UserError):
    """The server answered 404."""


class Server:
    """Weblate's API through ``wlc``; every failure a one-line UserError."""

    def __init__(self, settings: WeblateSettings) -> None:
        token = os.environ.get(settings.token_env, "")
        if not token:
            raise UserError(
                f"no Weblate API token: set the environment variable {settings.token_env}",
                "uai18n.toml [weblate] token_env",
            )
        self.settings = settings
        self.api_url = settings.url.rstrip("/") + "/api/"
        try:
            self.api = wlc.Weblate(key=token, url=self.api_url, timeout=60, retries=0)
        except wlc.WeblateException as error:
            raise UserError(f"cannot use Weblate: {error}", settings.url) from None

    def request(self, method: str, path: str, **arguments: Any) -> Any:
        """The JSON answer; a DELETE (answered "204 No Content") gives its bytes."""
        call = self.api.raw_request if method == "delete" else self.api.request
        try:
            return call(method, path, **arguments)
        except wlc.WeblateDeniedError:
            raise UserError(
                f"Weblate refused the API token in {self.settings.token_env} (401)",
                self.settings.url,
            ) from None
        except wlc.WeblatePermissionError as error:
            raise UserError(f"permission denied: {error}", self.settings.url) from None
        except wlc.WeblateException as error:
            message = " ".join(str(error).split())
            if message.startswith("Object not found"):  # wlc's words for a 404
                raise NotFound(f"not on Weblate: {path}", self.settings.url) from None
            raise UserError(f"Weblate: {message[:300]} ({method.upper()} {path})",
                            self.settings.url) from None  # fmt: skip
        except requests.RequestException as error:
            reason = type(error).__name__
            raise UserError(f"cannot reach Weblate ({reason})", self.settings.url) from None

    def get(self, path: str, **params: Any) -> Any:
        return self.request("get", path, params=params or None)

    def find(self, path: str) -> dict[str, Any] | None:
        """An object, or None when the server has none at ``path`` (404)."""
        try:
            return self.get(path)
        except NotFound:
            return None

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every result of a paginated listing."""
        answer = self.get(path, **params)
        while True:
            yield from answer.get("results", [])
            following = answer.get("next")
            if not following:
                return
            answer = self.request("get", following)


# --- sync -----------------------------------------------------------------------


@dataclass
class SyncReport:
    """What ``sync`` did (or, with ``dry_run``, would do), one line each."""

    changes: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def slug(stem: str) -> str:
    """A Weblate slug for a document id: letters, digits, ``-`` and ``_``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower() or "document"


def component_settings(project: Project, stem: str, repo: str, owner: bool) -> dict[str, Any]:
    """The component settings we keep for one document."""
    settings = project.config.weblate
    assert settings is not None
    languages = "|".join(sorted(re.escape(p.code) for p in project.config.languages)) or "[^.]+"
    wanted: dict[str, Any] = {
        "name": stem,
        "slug": slug(stem),
        "vcs": "git",
        "repo": repo,
        "file_format": "po",
        "filemask": f"po/*/{stem}.po",
        "new_base": f"po/templates/{stem}.pot",
        "template": "",
        "new_lang": "none",  # languages are added in uai18n.toml, where builds know them
        "language_regex": f"^({languages})$",
        "manage_units": False,  # msgids come from source/ through extract, not Weblate
    }
    if owner:
        wanted.update(branch=settings.branch, push=settings.push or "")
    return wanted


def sync(project: Project, *, prune: bool = False, dry_run: bool = False) -> SyncReport:
    """Create or update a Weblate component per document, and the glossary."""
    settings = _settings(project)
    if not settings.repo:
        raise UserError("[weblate] repo is needed: the git URL Weblate clones", "uai18n.toml")
    server = Server(settings)
    report = SyncReport()
    done = report.changes

    def change(line: str, action: Callable[[], Any]) -> None:
        if not dry_run:
            try:
                action()
            except UserError as error:
                if done:
                    raise PartialSync(error, done) from None
                raise
        done.append(("would do: " if dry_run else "") + line)

    name = settings.project
    existing = server.find(f"projects/{name}/")
    if existing is None:
        change(
            f"created project {name}",
            lambda: server.request(
                "post", "projects/",
                data={"name": settings.project_name or name, "slug": name,
                      "web": settings.website or settings.url, "translation_review": True,
                      "set_language_team": False},
            ),
        )  # fmt: skip
        components: dict[str, dict[str, Any]] = {}
    else:
        fix = {"translation_review": True, "set_language_team": False}
        differs = {key: value for key, value in fix.items() if existing.get(key) != value}
        if differs:
            change(
                f"project {name}: set {', '.join(sorted(differs))}",
                lambda: server.request("patch", f"projects/{name}/", data=differs),
            )
        components = {c["slug"]: c for c in server.pages(f"projects/{name}/components/")}
    stems = sorted(source.stem for source in project.sources())
    owner = _repository_owner(components, stems)
    for stem in stems:
        component_slug = slug(stem)
        is_owner = component_slug == slug(owner)
        repo = settings.repo if is_owner else f"weblate://{name}/{slug(owner)}"
        wanted = component_settings(project, stem, repo, is_owner)
        current = components.get(component_slug)
        if current is None:
            clash = next((c for c in components.values() if c["name"] == stem), None)
            if clash is not None:
                raise UserError(
                    f"component name {stem!r} is taken by component {clash['slug']!r}, "
                    "which is not this document's",
                    settings.url,
                )
            change(
                f"created component {name}/{component_slug}",
                lambda wanted=wanted: server.request(
                    "post", f"projects/{name}/components/",
                    data={**wanted, "source_language": {"code": project.config.source_language}},
                ),
            )  # fmt: skip
            continue
        if current.get("is_glossary") or current["filemask"] != wanted["filemask"]:
            raise UserError(
                f"component {name}/{component_slug} exists and is not this document's "
                f"(filemask {current.get('filemask')!r}, expected {wanted['filemask']!r})",
                settings.url,
            )
        differs = {key: value for key, value in wanted.items() if current.get(key) != value}
        linked = str(current.get("linked_component") or "").rstrip("/")
        if not is_owner and linked.endswith(f"/components/{name}/{slug(owner)}"):
            differs.pop("repo", None)  # Weblate shows a linked component with its owner's repo
        if differs:
            change(
                f"updated component {name}/{component_slug}: {', '.join(sorted(differs))}",
                lambda differs=differs, path=component_slug: server.request(
                    "patch", f"components/{name}/{path}/", data=differs
                ),
            )
        else:
            report.unchanged.append(f"component {name}/{component_slug}")
        _addons(server, f"{name}/{component_slug}", current, prune, change, report)
    ours = {slug(stem) for stem in stems}
    for other in sorted(components):
        component = components[other]
        if other in ours or component.get("is_glossary"):
            continue
        if not re.fullmatch(r"po/\*/[^/]+\.po", component.get("filemask", "")):
            continue  # not a uai18n document component: never ours to remove
        if prune:
            change(
                f"removed component {name}/{other} (no such document in source/)",
                lambda other=other: server.request("delete", f"components/{name}/{other}/"),
            )
        else:
            report.notes.append(
                f"component {name}/{other} has no document in source/ (kept; --prune removes it)"
            )
    if existing is not None or not dry_run:
        _sync_glossary(project, server, components, change, report)
    return report


def _repository_owner(components: dict[str, dict[str, Any]], stems: list[str]) -> str:
    """The document whose component holds the git clone the others share."""
    for stem in stems:
        component = components.get(slug(stem))
        if component is not None and not component.get("linked_component"):
            return stem
    return stems[0] if stems else ""


def _addons(
    server: Server,
    where: str,
    component: dict[str, Any],
    prune: bool,
    change: Callable[[str, Callable[[], Any]], None],
    report: SyncReport,
) -> None:
    for url in component.get("addons", []):
        addon = server.request("get", url)
        if addon.get("name") not in FIGHTING_ADDONS:
            continue
        if prune:
            change(
                f"removed add-on {addon['name']} from {where} (it rewrites our PO files)",
                lambda url=url: server.request("delete", url),
            )
        else:
            report.notes.append(
                f"add-on {addon['name']} on {where} rewrites our PO files (--prune removes it)"
            )


def glossary_tbx(glossary: Glossary, source: str, language: str) -> tuple[bytes, dict[str, str]]:
    """The glossary as TBX for Weblate: source term -> preferred ``language`` term.

    One entry per concept that has a preferred term in both the source
    language and ``language``, or a do-not-translate source term (which
    keeps its text). Sorted, so the same glossary gives the same bytes.
    """
    by_concept: dict[str, dict[str, Term]] = {}
    for term in glossary.terms:
        if term.status in {Status.PREFERRED, Status.DNT} and term.lang in {source, language}:
            by_concept.setdefault(term.concept, {}).setdefault(term.lang, term)
    pairs: dict[str, str] = {}
    for terms in by_concept.values():
        original, translation = terms.get(source), terms.get(language)
        if original is not None and translation is not None:
            pairs.setdefault(original.text, translation.text)
        elif original is not None and original.status is Status.DNT:
            pairs.setdefault(original.text, original.text)
    martif = etree.Element("martif", type="TBX", nsmap=None)
    martif.set("{http://www.w3.org/XML/1998/namespace}lang", source)
    body = etree.SubElement(etree.SubElement(martif, "text"), "body")
    for number, (term, translation) in enumerate(sorted(pairs.items()), 1):
        entry = etree.SubElement(body, "termEntry", id=f"uai18n-{number}")
        for code, text in ((source, term), (language, translation)):
            lang_set = etree.SubElement(entry, "langSet")
            lang_set.set("{http://www.w3.org/XML/1998/namespace}lang", code)
            etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = text
    data = etree.tostring(martif, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data, pairs


def _sync_glossary(
    project: Project,
    server: Server,
    components: dict[str, dict[str, Any]],
    change: Callable[[str, Callable[[], Any]], None],
    report: SyncReport,
) -> None:
    name = _settings(project).project
    glossary = next((c for c in components.values() if c.get("is_glossary")), None)
    if glossary is None:
        listed = server.pages(f"projects/{name}/components/")
        glossary = next((c for c in listed if c.get("is_glossary")), None)
    if glossary is None:
        report.notes.append(f"project {name} has no glossary component: glossary not pushed")
        return
    path = f"{name}/{glossary['slug']}"
    terms = load_glossary(project.config.glossary_dir)  # once for every language
    for policy in project.config.languages:
        language = policy.code
        data, pairs = glossary_tbx(terms, project.config.source_language, language)
        if not pairs:
            continue
        translation = server.find(f"translations/{path}/{language}/")
        current: dict[str, str] = {}
        if translation is not None:
            for unit in server.pages(f"translations/{path}/{language}/units/"):
                if unit.get("source") and unit.get("target") and unit["target"][0]:
                    current[unit["source"][0]] = unit["target"][0]
        if all(current.get(term) == text for term, text in pairs.items()):
            report.unchanged.append(f"glossary {language} ({len(pairs)} terms)")
            continue
        new = sum(1 for term in pairs if term not in current)
        changed = sum(1 for term, text in pairs.items() if current.get(term) not in (None, text))

        def upload(language: str = language, data: bytes = data, known: bool = bool(translation),
                   new: int = new, changed: int = changed) -> None:  # fmt: skip
            if not known:
                server.request(
                    "post", f"components/{path}/translations/", data={"language_code": language}
                )
            # "add" creates the terms Weblate lacks; "translate" with replace-translated
            # corrects the ones it has (Weblate's upload methods do one or the other)
            for method, count in (("add", new), ("translate", changed)):
                if count:
                    server.request(
                        "post", f"translations/{path}/{language}/file/",
                        files={"file": (f"{language}.tbx", data)},
                        data={"method": method, "conflicts": "replace-translated"},
                    )  # fmt: skip

        change(f"glossary {language}: {new} term(s) added, {changed} corrected", upload)


# --- pull-reviews -----------------------------------------------------------------


@dataclass
class ReviewResult:
    """What pull-reviews did to one catalogue."""

    catalog: str
    signed: int = 0
    unsigned: int = 0
    skipped: list[str] = field(default_factory=list)


def pull_reviews(
    project: Project, languages: tuple[str, ...], *, dry_run: bool = False
) -> list[ReviewResult]:
    """Sign off what Weblate approved; unsign what it revoked (see module docstring).

    Three listings whatever the size of the project: the approvals in the
    project's change history, the units approved now (one search over the
    project), and each unit whose approval was revoked.
    """
    settings = _settings(project)
    server = Server(settings)
    name = settings.project
    if server.find(f"projects/{name}/") is None:
        raise UserError(f"Weblate has no project {name!r} (run uai18n weblate sync)", settings.url)
    approvals = _approvals(server, name)
    approved: dict[tuple[str, str], list[dict[str, Any]]] = {}
    approved_urls: set[str] = set()
    for unit in server.pages("units/", q=f"project:{name} AND state:approved", page_size=1000):
        approved.setdefault(_translation_of(unit.get("translation", "")), []).append(unit)
        approved_urls.add(unit["url"])
    revoked: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for url, (translation, _, _) in sorted(approvals.items()):
        if url not in approved_urls:
            unit = server.find(url)
            if unit is not None and unit.get("state") != APPROVED:
                revoked.setdefault(_translation_of(translation), []).append(unit)
    users: dict[str, str] = {}  # every reviewer's name, asked before any file is written
    for url in sorted({approvals[u][1] for u in approved_urls if approvals.get(u, ("", ""))[1]}):
        _reviewer(server, url, users)
    results = []
    for source in project.sources():
        for language in languages:
            key = (slug(source.stem), language)
            path = project.catalog_path(language, source)
            if not path.exists() or not (approved.get(key) or revoked.get(key)):
                continue
            shown = project.relative(path)
            result = ReviewResult(shown)
            catalog = read_catalog(path, shown)
            entries = {(e.msgctxt or "", e.msgid): e for e in catalog if is_live(e)}
            for unit in approved.get(key, []):
                problem = _sign_approved(server, unit, entries, approvals, users, shown)
                if problem is None:
                    result.signed += 1
                elif problem:
                    result.skipped.append(f"{_quote(unit)}: {problem}")
            for unit in revoked.get(key, []):
                entry = entries.get(_unit_key(unit))
                if entry is not None and unsign(entry):
                    result.unsigned += 1
            if (result.signed or result.unsigned) and not dry_run:
                write_catalog(path, catalog)
            results.append(result)
    return results


def _sign_approved(
    server: Server,
    unit: dict[str, Any],
    entries: dict[tuple[str, str], Any],
    approvals: dict[str, tuple[str, str, str]],
    users: dict[str, str],
    shown: str,
) -> str | None:
    """Sign the entry of an approved unit: None when signed, "" when it already
    was (for this text), else why not."""
    entry = entries.get(_unit_key(unit))
    if entry is None:
        return f"not in {shown} (pull the repository)"
    if forms(entry) != list(unit.get("target") or []):
        return "Weblate has another translation (pull the repository)"
    if any(s.hash == approval_hash(entry) for s in sign_offs(entry, shown)):
        return ""
    _, user_url, timestamp = approvals.get(unit["url"], ("", "", ""))
    reviewer = _reviewer(server, user_url, users) if user_url else "Weblate"
    try:
        sign(entry, reviewer, timestamp[:10] or now().date().isoformat())
    except (UserError, ValueError) as problem:
        return str(problem)
    return None


def _translation_of(url: str) -> tuple[str, str]:
    """(component, language) of a translation's API URL."""
    parts = url.rstrip("/").split("/")
    return (parts[-2], parts[-1]) if len(parts) >= 2 else ("", "")


def _approvals(server: Server, name: str) -> dict[str, tuple[str, str, str]]:
    """unit URL -> (translation URL, user URL, time) of its latest approval."""
    latest: dict[str, tuple[str, str, str]] = {}
    for change in server.pages(f"projects/{name}/changes/", action=ACTION_APPROVED):
        unit = change.get("unit")
        if not unit:
            continue
        known = latest.get(unit)
        if known is None or change["timestamp"] > known[2]:
            latest[unit] = (change.get("translation") or "", change.get("user") or "",
                            change["timestamp"])  # fmt: skip
    return latest


def _reviewer(server: Server, url: str, users: dict[str, str]) -> str:
    """The name a Weblate user signs with: full name, else username."""
    if url not in users:
        user = server.request("get", url)
        full, username = user.get("full_name") or "", user.get("username") or ""
        try:
            users[url] = check_reviewer(full)
        except UserError:
            users[url] = username
    return users[url]


def _unit_key(unit: dict[str, Any]) -> tuple[str, str]:
    return (unit.get("context") or "", (unit.get("source") or [""])[0])


def _quote(unit: dict[str, Any]) -> str:
    text = (unit.get("source") or [""])[0]
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _settings(project: Project) -> WeblateSettings:
    settings = project.config.weblate
    if settings is None:
        raise UserError("no [weblate] table: set url and project", "uai18n.toml")
    return settings
