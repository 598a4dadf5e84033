"""HTML dashboard: translation status as a language x document grid.

One static, self-contained page: inline stylesheet, an optional inline
script for click-to-sort (the table reads the same without it), no external
resource. Each cell carries its exact counts in ``data-`` attributes
(``data-untranslated="21"``) for scripts and tests, and shows them as text
beside a CSS-only stacked bar, so colour is never the only carrier of state.

Built with lxml's element factory like :mod:`uai18n.writers.html`: every
string from the rows (language codes, document ids, catalogue paths, policy
notes) is a text node or an attribute value, escaped by construction. The
inline ``<style>`` and ``<script>`` are constants that hold no data. The same
rows give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from babel.core import UnknownLocaleError
from lxml import etree
from lxml.html import builder as E

from uai18n.locales import PSEUDO_LOCALE, language_name
from uai18n.states import State
from uai18n.status import StatusRow
from uai18n.writers.html import serialize_page

#: The entry states, best first: the order of the bar, the counts and the legend.
STATES: tuple[State, ...] = (
    State.REVIEWED,
    State.STALE,
    State.TRANSLATED,
    State.MACHINE,
    State.UNTRANSLATED,
)

#: States that count as translated (as :attr:`StatusRow.percent_complete` counts).
DONE_STATES: tuple[State, ...] = tuple(state for state in STATES if state.done)

STATE_LABELS: dict[State, str] = {state: str(state) for state in STATES} | {
    State.MACHINE: "machine (fuzzy)"
}

STATE_HELP: dict[State, str] = {
    State.REVIEWED: "translated and signed off by a reviewer",
    State.STALE: "translated, but the text changed since the reviewer signed it off",
    State.TRANSLATED: "translated, not reviewed yet",
    State.MACHINE: "a fuzzy suggestion (memory, machine, changed source) that a translator "
    "must check; not counted as translated",
    State.UNTRANSLATED: "no translation yet",
}

#: Cell status (class suffix) -> (label shown in the cell, legend text).
CELL_STATUSES: dict[str, tuple[str, str]] = {
    "reviewed": ("all reviewed", "every entry translated and reviewed"),
    "complete": ("complete", "every entry translated, not all reviewed"),
    "partial": ("in progress", "some entries translated"),
    "not-started": ("not started", "nothing translated yet"),
    "empty": ("no entries", "the catalogue has no entries"),
    "missing": ("no catalogue", "no catalogue for this language and document"),
}

STYLE = """
:root { --ink: #111; --muted: #555; --line: #c9c9c9; --bg: #fff;
        --reviewed: #007a5a; --stale: #e69f00; --translated: #56b4e9;
        --machine: #cc79a7; --untranslated: #e4e4e4; --bad: #b00020; --good: #006b3c; }
* { box-sizing: border-box; }
body { font: 15px/1.45 "Noto Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0; padding: .75rem; }
h1 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.overview { margin: 0 0 .75rem; color: var(--muted); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%;
              width: fit-content; border: 1px solid var(--line); }
.table-wrap:focus { outline: 2px solid var(--translated); }
table.grid { border-collapse: separate; border-spacing: 0; font-size: .85rem; }
.hint { margin: 0 0 .4rem; font-size: .85rem; color: var(--muted); }
.grid th, .grid td { border-bottom: 1px solid var(--line); border-inline-end: 1px solid var(--line);
                     padding: .4rem .5rem; vertical-align: top; text-align: start; }
.grid thead th { background: #f2f2f2; font-weight: 700; white-space: nowrap; }
.grid thead th.document { white-space: normal; overflow-wrap: anywhere; max-width: 15rem; }
.grid th.language { position: sticky; left: 0; z-index: 1; background: #f7f7f7;
                    min-width: 5.5rem; max-width: 8rem; }
.grid thead th.language { z-index: 2; background: #ececec; }
.grid td { min-width: 10.5rem; max-width: 15rem; }
.grid td.summary { min-width: 11.5rem; background: #fafafa;
                   border-inline-end: 2px solid #999; }
.language .code { font-weight: 700; font-size: .95rem; }
.language .name { display: block; color: var(--muted); font-weight: 400; }
.status { display: inline-block; font-weight: 700; font-size: .78rem; padding: 0 .35rem;
          border-radius: .2rem; border: 1px solid currentColor; margin-bottom: .25rem; }
.cell-reviewed { background: #e3f3ec; }
.cell-reviewed .status { color: var(--good); }
.cell-complete { background: #e8f4fb; }
.cell-complete .status { color: #0b5e8a; }
.cell-partial { background: #fff6e0; }
.cell-partial .status { color: #7a5200; }
.cell-not-started { background: #fbeaea; }
.cell-not-started .status { color: var(--bad); }
.cell-empty, .cell-missing { background: repeating-linear-gradient(135deg, #f4f4f4 0 6px,
                             #fff 6px 12px); color: var(--muted); }
.percent { margin: 0 0 .25rem; }
.percent strong { font-size: 1.05rem; }
.bar { display: flex; height: .7rem; width: 100%; margin: .2rem 0 .3rem;
       background: var(--untranslated); border: 1px solid #888; overflow: hidden; }
.bar span { display: inline-block; height: 100%; flex: none; }
.swatch { display: inline-block; width: .8em; height: .8em; border: 1px solid #777;
          vertical-align: -.05em; margin-inline-end: .25em; }
.s-reviewed { background: var(--reviewed); }
.s-stale { background: repeating-linear-gradient(135deg, var(--stale) 0 3px, #f7d27a 3px 6px); }
.s-translated { background: var(--translated); }
.s-machine { background: repeating-linear-gradient(90deg, var(--machine) 0 3px,
             #e7bdd6 3px 5px); }
.s-untranslated { background: var(--untranslated); }
ul.counts { list-style: none; margin: 0; padding: 0; display: grid;
            grid-template-columns: repeat(2, auto); gap: 0 .6rem; font-size: .8rem; }
ul.counts li { white-space: nowrap; }
ul.counts .n { font-weight: 700; font-variant-numeric: tabular-nums; }
.totals { font-size: .78rem; color: var(--muted); margin: .2rem 0 0; }
.policy { margin: .3rem 0 0; font-size: .8rem; }
.policy.fails { color: var(--bad); }
.policy.meets { color: var(--good); }
.policy .mark { font-weight: 700; }
.policy ul { margin: .1rem 0 0; padding-inline-start: 1rem; }
td.fails-policy { box-shadow: inset 4px 0 0 var(--bad); }
.required { display: inline-block; font-size: .72rem; font-weight: 700; text-transform: uppercase;
            letter-spacing: .04em; background: #222; color: #fff; padding: 0 .3rem;
            border-radius: .2rem; margin-inline-start: .3rem; }
.catalog { display: block; font-size: .72rem; color: var(--muted); margin-top: .25rem;
           overflow-wrap: anywhere; }
.problems { margin: .25rem 0 0; padding-inline-start: 1rem; font-size: .75rem; color: var(--bad); }
.legend ul { list-style: none; padding: 0; margin: 0 0 .6rem; }
.legend li { margin: .15rem 0; width: fit-content; padding-inline-end: .4rem; }
.legend .status { margin: 0 .3rem 0 0; }
footer { margin-top: 1.2rem; font-size: .8rem; color: var(--muted); }
button.sort { font: inherit; font-weight: 700; color: inherit; background: none; border: 0;
              padding: 0; cursor: pointer; text-align: start; }
button.sort::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] button.sort::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button.sort::after { content: " \\2193"; color: var(--ink); }
@media (max-width: 480px) {
  body { padding: .5rem; }
  .grid td { min-width: 9.5rem; }
  .grid td.summary { min-width: 10rem; }
  .grid th.language { min-width: 4.5rem; max-width: 6rem; }
  .language .name { font-size: .75rem; }
}
@media print {
  body { padding: 0; }
  .table-wrap { overflow: visible; border: none; }
  .grid th.language { position: static; }
  button.sort::after { content: none; }
}
"""

#: Click-to-sort on the column headers, added by the script itself: without
#: JavaScript the headers are plain text and the rows stay in the given order.
#: A header cycles ascending -> descending -> the given order. No data in here.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("grid");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function keyOf(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell ? cell.getAttribute("data-sort") : null;
    if (numeric) { return value === null ? -1 : parseFloat(value); }
    return value === null ? "" : value;
  }
  function sortBy(th, column) {
    var next = { "ascending": "descending", "descending": "none" }[th.getAttribute("aria-sort")]
      || "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    if (next !== "none") { th.setAttribute("aria-sort", next); }
    var numeric = th.getAttribute("data-sort-type") === "number";
    var sign = next === "descending" ? -1 : 1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      if (next === "none") { return order; }
      var x = keyOf(a, column, numeric), y = keyOf(b, column, numeric);
      var c = numeric ? x - y : (x < y ? -1 : (x > y ? 1 : 0));
      return sign * c || order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  var hint = document.getElementById("grid-caption");
  if (hint) { hint.appendChild(document.createTextNode(" Click a column header to sort.")); }
  headers.forEach(function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.title = "Sort by this column";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th, column); });
  });
})();
"""

# Characters XML (and so lxml) cannot hold: control characters, lone surrogates,
# U+FFFE/U+FFFF. A row string holding one shows U+FFFD instead of failing.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text with what XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _percent(part: int, total: int) -> int:
    """Whole percent, rounded down: "100%" only when it is all done."""
    return 100 * part // total if total else 100


def _exact(part: int, total: int) -> str:
    """Exact percent for ``data-`` attributes and bar widths: ``37.5``."""
    if not total:
        return "100"
    return f"{100 * part / total:.4f}".rstrip("0").rstrip(".")


def _cell_status(entries: Mapping[str, int] | None) -> str:
    if entries is None:
        return "missing"
    total = sum(entries.values())
    done = sum(entries.get(state, 0) for state in DONE_STATES)
    if not total:
        return "empty"
    if entries.get(State.REVIEWED, 0) == total:
        return "reviewed"
    if done == total:
        return "complete"
    return "partial" if done else "not-started"


def _data(entries: Mapping[str, int], words: Mapping[str, int]) -> dict[str, str]:
    """The exact numbers as ``data-`` attributes."""
    total = sum(entries.values())
    done = sum(entries.get(state, 0) for state in DONE_STATES)
    attributes = {f"data-{state}": str(entries.get(state, 0)) for state in STATES}
    attributes.update({f"data-words-{state}": str(words.get(state, 0)) for state in STATES})
    attributes["data-total"] = str(total)
    attributes["data-total-words"] = str(sum(words.values()))
    attributes["data-percent-complete"] = _exact(done, total)
    attributes["data-percent-reviewed"] = _exact(entries.get(State.REVIEWED, 0), total)
    attributes["data-sort"] = _exact(done, total)
    return attributes


def _numbers(entries: Mapping[str, int], words: Mapping[str, int]) -> list:
    """Percentages, the stacked bar and the counts of one cell."""
    total = sum(entries.values())
    done = sum(entries.get(state, 0) for state in DONE_STATES)
    reviewed = entries.get(State.REVIEWED, 0)
    bar = E.DIV(
        {"class": "bar", "aria-hidden": "true"},
        *(
            E.SPAN({"class": f"s-{state}", "style": f"width: {_exact(entries[state], total)}%"})
            for state in STATES
            if entries.get(state, 0)
        ),
    )
    counts = E.UL(
        {"class": "counts"},
        *(
            E.LI(
                {"class": f"count-{state}", "data-state": state},
                E.SPAN({"class": f"swatch s-{state}", "aria-hidden": "true"}),
                STATE_LABELS[state] + " ",
                E.SPAN({"class": "n"}, str(entries.get(state, 0))),
            )
            for state in STATES
        ),
    )
    return [
        E.P(
            {"class": "percent"},
            E.STRONG({"class": "complete"}, f"{_percent(done, total)}%"),
            " complete · ",
            E.SPAN({"class": "reviewed"}, f"{_percent(reviewed, total)}%"),
            " reviewed",
        ),
        bar,
        counts,
        E.P(
            {"class": "totals"},
            f"{total} entries, {sum(words.values())} words",
        ),
    ]


def _status_badge(status: str) -> etree._Element:
    return E.SPAN({"class": "status"}, CELL_STATUSES[status][0])


def _document_cell(row: StatusRow | None, language: str, document: str) -> etree._Element:
    status = _cell_status(None if row is None else row.entries)
    attributes = {
        "class": f"cell cell-{status}",
        "data-language": xml_text(language),
        "data-document": xml_text(document),
        "data-status": status,
    }
    if row is None:
        attributes["data-sort"] = "-1"
        return E.TD(attributes, _status_badge(status))
    attributes.update(_data(row.entries, row.words))
    attributes["data-catalog"] = xml_text(row.catalog)
    attributes["data-meets-policy"] = "true" if row.meets_policy else "false"
    attributes["data-required"] = "true" if row.required else "false"
    if not row.meets_policy:
        attributes["class"] += " fails-policy"
    children: list = [_status_badge(status), *_numbers(row.entries, row.words)]
    if row.meets_policy:
        children.append(
            E.P({"class": "policy meets"}, E.SPAN({"class": "mark"}, "✓"), " meets policy")
        )
    else:
        children.append(
            E.P(
                {"class": "policy fails"},
                E.SPAN({"class": "mark"}, "✗"),
                " ",
                E.SPAN(
                    {"class": "note", "dir": "auto"}, xml_text(row.policy_note or "below policy")
                ),
            )
        )
    if row.problems:
        children.append(
            E.UL(
                {"class": "problems"},
                *(E.LI({"dir": "auto"}, xml_text(problem)) for problem in row.problems),
            )
        )
    children.append(E.CODE({"class": "catalog", "dir": "auto"}, xml_text(row.catalog)))
    return E.TD(attributes, *children)


def _summed(rows: Iterable[StatusRow], field: str) -> dict[str, int]:
    total = {state: 0 for state in STATES}
    for row in rows:
        for state, count in getattr(row, field).items():
            total[state] = total.get(state, 0) + count
    return total


def _summary_cell(language: str, rows: list[StatusRow]) -> etree._Element:
    entries = _summed(rows, "entries")
    words = _summed(rows, "words")
    meets = all(row.meets_policy for row in rows)
    required = any(row.required for row in rows)
    attributes = {
        "class": "summary",
        "data-language": xml_text(language),
        "data-documents": str(len(rows)),
        "data-meets-policy": "true" if meets else "false",
        "data-required": "true" if required else "false",
        **_data(entries, words),
    }
    if meets:
        policy = E.P(
            {"class": "policy meets"},
            E.SPAN({"class": "mark"}, "✓"),
            " meets policy",
        )
    else:
        policy = E.DIV(
            {"class": "policy fails"},
            E.SPAN({"class": "mark"}, "✗"),
            " below policy:",
            E.UL(
                *(
                    E.LI(
                        {"class": "reason", "dir": "auto"},
                        E.SPAN({"class": "document"}, xml_text(row.document)),
                        ": ",
                        E.SPAN({"class": "note"}, xml_text(row.policy_note or "below policy")),
                    )
                    for row in rows
                    if not row.meets_policy
                )
            ),
        )
    head: list = [E.SPAN({"class": "status"}, f"{len(rows)} document(s)")]
    if required:
        head.append(
            E.SPAN({"class": "required", "title": "a shortfall fails the build"}, "required")
        )
    return E.TD(attributes, *head, *_numbers(entries, words), policy)


def _language_header(language: str) -> etree._Element:
    children: list = [E.SPAN({"class": "code", "dir": "auto"}, xml_text(language))]
    name = display_name(language)
    if name:
        children.append(E.SPAN({"class": "name"}, name))
    return E.TH({"scope": "row", "class": "language", "data-sort": xml_text(language)}, *children)


def display_name(language: str, in_language: str = "en") -> str:
    """The name of a valid code in ``in_language`` ("French", "français"); ""
    when there is none to add."""
    if language == PSEUDO_LOCALE:
        return "pseudo-locale"
    try:
        name = language_name(language, in_language)
    except (UnknownLocaleError, ValueError, TypeError):
        return ""
    return "" if name == language else xml_text(name)


def _legend() -> etree._Element:
    return E.SECTION(
        {"class": "legend", "id": "legend"},
        E.H2("Legend"),
        E.P("Bar and counts: translation entries by state."),
        E.UL(
            *(
                E.LI(
                    E.SPAN({"class": f"swatch s-{state}", "aria-hidden": "true"}),
                    E.STRONG(STATE_LABELS[state]),
                    f": {STATE_HELP[state]}",
                )
                for state in STATES
            )
        ),
        E.P("Cell background: where the catalogue stands."),
        E.UL(
            *(
                E.LI(
                    {"class": f"cell-{status}"},
                    E.SPAN({"class": "status"}, label),
                    help_text,
                )
                for status, (label, help_text) in CELL_STATUSES.items()
            )
        ),
        E.P(
            "Percent complete counts reviewed, stale and translated entries (fuzzy excluded), "
            "rounded down. ✓ meets its language's policy (minimum translated and reviewed); "
            "✗ does not, with the reason. ",
            E.SPAN({"class": "required"}, "required"),
            " languages fail the build when below policy.",
        ),
    )


def render_dashboard(
    rows: list[StatusRow], *, title: str = "Translation status", generated: str = ""
) -> str:
    """The dashboard page as a string (UTF-8, with a doctype).

    One table row per language in the order the rows first name it, one
    column per document (sorted), and a summary column per language. A
    language and document given twice is an error: the grid has one cell each.
    ``generated`` (a timestamp, or "" for reproducible output) goes in the footer.
    """
    languages: list[str] = []
    documents: set[str] = set()
    by_cell: dict[tuple[str, str], StatusRow] = {}
    by_language: dict[str, list[StatusRow]] = {}
    for row in rows:
        key = (row.language, row.document)
        if key in by_cell:
            raise ValueError(f"two status rows for language {row.language!r}, {row.document!r}")
        by_cell[key] = row
        if row.language not in by_language:
            languages.append(row.language)
            by_language[row.language] = []
        by_language[row.language].append(row)
        documents.add(row.document)
    ordered_documents = sorted(documents)

    header = E.TR(
        E.TH({"scope": "col", "class": "language", "data-sort-type": "text"}, "Language"),
        E.TH({"scope": "col", "class": "summary", "data-sort-type": "number"}, "All documents"),
        *(
            E.TH(
                {"scope": "col", "class": "document", "data-sort-type": "number"},
                E.SPAN({"dir": "auto"}, xml_text(document)),
            )
            for document in ordered_documents
        ),
    )
    body_rows = [
        E.TR(
            {"data-language": xml_text(language), "data-order": str(index)},
            _language_header(language),
            _summary_cell(language, by_language[language]),
            *(
                _document_cell(by_cell.get((language, document)), language, document)
                for document in ordered_documents
            ),
        )
        for index, language in enumerate(languages)
    ]

    meeting = sum(all(row.meets_policy for row in by_language[lang]) for lang in languages)
    failing_required = [
        lang
        for lang in languages
        if any(row.required for row in by_language[lang])
        and not all(row.meets_policy for row in by_language[lang])
    ]
    overview: list = [
        f"{len(languages)} language(s) × {len(ordered_documents)} document(s); "
        f"{meeting} of {len(languages)} language(s) meet policy."
    ]
    if failing_required:
        overview += [" Required and below policy: ", xml_text(", ".join(failing_required)), "."]

    if rows:
        content: list = [
            E.P(
                {"class": "hint", "id": "grid-caption"},
                "Entries per language and document; scroll the table sideways for more documents.",
            ),
            E.DIV(
                {
                    "class": "table-wrap",
                    "role": "region",
                    "aria-labelledby": "grid-caption",
                    "tabindex": "0",
                },
                E.TABLE(
                    {"class": "grid", "id": "grid", "aria-labelledby": "grid-caption"},
                    E.THEAD(header),
                    E.TBODY(*body_rows),
                ),
            ),
            _legend(),
        ]
    else:
        content = [E.P({"class": "empty"}, "No catalogues to report.")]

    footer: list = ["Generated by uai18n"]
    if generated:
        footer += [" on ", E.TIME(xml_text(generated))]
    footer.append(".")

    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.META(name="generator", content="uai18n"),
            E.TITLE(xml_text(title)),
            E.STYLE(STYLE),
        ),
        E.BODY(
            E.HEADER(E.H1(xml_text(title)), E.P({"class": "overview"}, *overview)),
            E.MAIN(*content),
            E.FOOTER(*footer),
            *([E.SCRIPT(SCRIPT)] if rows else []),
        ),
        lang="en",
    )
    return serialize_page(page)
