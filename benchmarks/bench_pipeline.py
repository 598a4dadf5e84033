#!/usr/bin/env python3
"""Benchmark the uai18n pipeline on a synthetic tree of UAs.

Usage::

    python benchmarks/bench_pipeline.py --uas 1000 --langs 10 [--workdir DIR] [--keep]

What it does:

1. builds a synthetic project (``uai18n.toml`` and ``source/ua-NNNN.txt``),
   each UA derived from the bundled ``source/ua-2-19-chechnya.txt`` by varying
   names, numbers, dates and sentences, in the same layout (seeded, so the
   same arguments give the same bytes);
2. runs the installed ``uai18n`` CLI, one subprocess per stage, and measures
   wall seconds and the child's peak RSS; before the measured ``update`` the
   catalogues are pre-filled (80% of msgstr) and ~10% of the source sentences
   are changed and re-extracted, so that the update has exact matches, fuzzy
   matches and obsolete entries to handle;
3. runs GNU ``msgmerge --previous`` on a copy of the same input, one process
   per catalogue, sequentially (skipped when ``msgmerge`` is not on PATH);
4. runs ``uai18n run`` on a fresh copy of the sources, then again with nothing
   changed;
5. prints a table and the two goals (update <= msgmerge; no-op < 5% of a run).

Peak RSS is measured with :func:`os.wait4` on each child's pid (the child's own
``ru_maxrss``); ``getrusage(RUSAGE_CHILDREN)`` would only give the maximum over
every child so far. For the msgmerge stage it is the largest of its processes.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
BASE_UA = REPO / "source" / "ua-2-19-chechnya.txt"
ALL_LANGUAGES = (
    "fr", "es", "ru", "ar", "de", "pt", "it", "nl", "pl", "tr",
    "uk", "ja", "ko", "zh", "sv", "fi", "cs", "el", "he", "hi",
)  # fmt: skip
WIDTH = 115  # wrapping width of the prose
FILL_SHARE = 0.8  # share of msgstr pre-filled before the measured update
CHANGE_SHARE = 0.1  # share of source sentences changed before the re-extract
MARKER = ".uai18n-bench"  # marks a --workdir as ours, so a rerun may clear it
OWN_DIRS = ("tree", "po-before", "po-msgmerge", "fresh", "logs")

# --- pools for the variations ------------------------------------------------------

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WORD_NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine")
FIRST_NAMES = (
    "Maxim", "Ruslan", "Magomed", "Zelimkhan", "Islam", "Ibragim", "Khasan",
    "Adam", "Movsar", "Salman", "Dmitry", "Sergei", "Igor", "Mikhail", "Artur",
    "Timur", "Aslan", "Rustam", "Said", "Apti", "Nikolai", "Oleg", "Denis",
)  # fmt: skip
LAST_NAMES = (
    "Lapunov", "Musaev", "Khasanov", "Aliev", "Umarov", "Dadaev", "Bisultanov",
    "Tsakaev", "Gaziev", "Mezhidov", "Saidov", "Yusupov", "Aslanov", "Sokolov",
    "Volkov", "Morozov", "Lebedev", "Orlov", "Zaitsev", "Belov", "Vagapov",
)  # fmt: skip
EXPERTS = (
    "Wolfgang Benedek", "Anna Lindqvist", "Pierre Dumont", "Jan Novak",
    "Maria Rossi", "Klaus Weber", "Eva Horvath", "Tomas Berg", "Ines Duarte",
)  # fmt: skip
TOWNS = (
    "Argun", "Grozny", "Gudermes", "Shali", "Urus-Martan", "Kurchaloy",
    "Achkhoy-Martan", "Vedeno", "Nozhai-Yurt", "Sernovodsk",
)  # fmt: skip
NEWSPAPERS = ("Novaya Gazeta", "Kavkazsky Uzel", "Mediazona", "The Insider")
TITLES = (
    "HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES",
    "NEW WAVE OF ABDUCTIONS IN {TOWN}",
    "GAY MEN TORTURED IN SECRET PRISON IN {TOWN}",
    "FEAR FOR SAFETY OF DETAINED MEN IN {TOWN}",
    "LGBTI PEOPLE AT RISK OF TORTURE IN CHECHNYA",
    "{NUMBER} MEN HELD INCOMMUNICADO IN {TOWN}",
)
PREFERRED = ("RUSSIAN, ENGLISH", "RUSSIAN", "ENGLISH, RUSSIAN")


@dataclass(frozen=True)
class Office:
    """One addressee: title, street, city line, country, contacts, salutation."""

    title: str
    street: str
    city: str
    contacts: tuple[str, ...]
    salutation: str


OFFICES = (
    Office(
        "President of the Russian Federation",
        "Ul. Ilyinka, {number}",
        "{postcode} Moscow",
        ("Twitter: @KremlinRussia @KremlinRussia_E", "Fax: +7 495 {phone}"),
        "Dear President,",
    ),
    Office(
        "Prosecutor General of the Russian Federation",
        "Ul. B. Dmitrovka, {number}a",
        "{postcode} Moscow GSP-3",
        ("Fax: +7 495 {phone}", "Email: info@genproc.gov.ru"),
        "Dear Prosecutor General,",
    ),
    Office(
        "Chairman of the Investigative Committee of the Russian Federation",
        "Tekhnicheskiy per., {number}",
        "{postcode} Moscow",
        ("Twitter: @sledcom_rf",),
        "Dear Chairman,",
    ),
    Office(
        "High Commissioner for Human Rights in the Russian Federation",
        "Ul. Myasnitskaya, {number}",
        "{postcode} Moscow",
        ("Fax: +7 495 {phone}", "Email: ombudsmanrf@org.ru"),
        "Dear High Commissioner,",
    ),
)

#: Sentences swapped into the summary and background ("report" voice).
REPORT_POOL = (
    "Relatives of {victim} have not been told where he is held since {date}.",
    "Lawyers were denied access to the detainees for at least {n} days.",
    "Several of those released said they had been beaten and given electric shocks.",
    "Human rights defenders who documented the detentions in {town} have received death threats.",
    "The local authorities have publicly denied that any detentions took place.",
    "At least {n} people have fled the region since {date}, according to local "
    "human rights groups.",
    "Families of the detained were pressured to sign statements that their relatives "
    "had left voluntarily.",
    "No criminal case has been opened despite {n} complaints filed by the victims.",
    "Independent journalists covering the events in {town} have been detained.",
    "The detainees are held incommunicado in an unofficial place of detention in {town}.",
)
#: Sentences swapped into the letter (first person).
LETTER_POOL = (
    "I call on you to ensure that {victim} is protected from reprisals and given "
    "access to a lawyer of his choice.",
    "I also urge you to condemn the detentions in {town} publicly and to make clear "
    "that such abuses will not be tolerated.",
    "I ask you to release immediately all those held solely because of their real "
    "or perceived sexual orientation.",
    "Please ensure that the families of the {n} detainees are told where their relatives are held.",
    "I urge you to guarantee that those who report abuses are not punished for speaking out.",
    "I call on you to close the unofficial place of detention in {town} without delay.",
)
#: Words inserted by a small edit: the changed sentence stays a fuzzy match.
EDIT_WORDS = ("reportedly", "also", "still", "now", "allegedly", "indeed", "again")


# --- the base UA ---------------------------------------------------------------------


@dataclass
class Base:
    """The bundled UA cut into its sections; prose as paragraphs of text."""

    banner: str
    call_to_action: str
    summary: list[str]
    letter: list[str]
    closing: str
    heading: str
    background: list[str]
    own_language: str
    deadline_label: str
    deadline_note: list[str]


_SENTENCE_END = re.compile(r"[.!?…]['’”»)\]]*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def _paragraphs(lines: list[str], width: int) -> list[str]:
    """Rejoin wrapped prose the way the reader does: a line ending a sentence
    ends its paragraph when the next line's first word would have fitted."""
    paragraphs: list[str] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        current.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is None or (
            _SENTENCE_END.search(line) and len(line) + 1 + len(following.split(" ", 1)[0]) <= width
        ):
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def parse_base(text: str) -> Base:
    lines = [" ".join(raw.split()) for raw in text.splitlines()]

    def find(prefix: str, start: int = 0) -> int:
        for index in range(start, len(lines)):
            if lines[index].startswith(prefix):
                return index
        raise SystemExit(f"{BASE_UA}: no line starting with {prefix!r}")

    take = find("TAKE ACTION")
    dear = find("Dear ", take)
    closing = find("Yours sincerely", dear)
    heading = find("ADDITIONAL INFORMATION", closing)
    preferred = find("PREFERRED LANGUAGE", heading)
    until = find("PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL", preferred)
    first_prose = next(
        index for index in range(1, take) if any(char.islower() for char in lines[index])
    )
    region_width = max(len(line) for line in lines[: closing + 1])
    background = [line for line in lines[heading + 1 : preferred] if line]
    return Base(
        banner=lines[0],
        call_to_action=lines[take],
        summary=_paragraphs(lines[first_prose:take], region_width),
        letter=_paragraphs(lines[dear + 1 : closing], region_width),
        closing=lines[closing],
        heading=lines[heading],
        background=_paragraphs(background, max(len(line) for line in background)),
        own_language=lines[preferred + 1],
        deadline_label=lines[until].partition(":")[0],
        deadline_note=[line for line in lines[until + 1 :] if line],
    )


# --- one synthetic UA ------------------------------------------------------------


def _date(rng: random.Random, year: int, after: datetime.date | None = None) -> datetime.date:
    start = datetime.date(year, 1, 1)
    if after is not None and after.year == year:
        start = after + datetime.timedelta(days=1)
    end = datetime.date(year, 12, 28)
    if start > end:
        start = end
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _long(date: datetime.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@dataclass
class Facts:
    """The names, numbers and dates of one UA."""

    victim: str
    expert: str
    town: str
    newspaper: str
    detained: int
    killed_word: str
    killed_before: int
    members: int
    dates: list[str]
    deadline: str
    substitutions: list[tuple[str, str]] = field(default_factory=list)


def make_facts(rng: random.Random) -> Facts:
    year = rng.randrange(2012, 2025)
    earlier = _date(rng, year - 2)
    mechanism = _date(rng, year - 1)
    moscow = _date(rng, year - 1, mechanism)
    report = _date(rng, year - 1, moscow)
    deadline = _date(rng, year + 1)
    crackdown_month = MONTHS[rng.randrange(12)]
    facts = Facts(
        victim=_person(rng),
        expert=rng.choice(EXPERTS),
        town=rng.choice(TOWNS),
        newspaper=rng.choice(NEWSPAPERS),
        detained=rng.randrange(5, 200),
        killed_word=rng.choice(WORD_NUMBERS),
        killed_before=rng.randrange(20, 300),
        members=rng.randrange(5, 40),
        dates=[_long(day) for day in (earlier, mechanism, moscow, report)],
        deadline=_long(deadline),
    )
    words = WORD_NUMBERS
    # (literal in the bundled UA, its replacement); longest phrases first
    facts.substitutions = [
        ("Maxim Lapunov", facts.victim),
        ("Wolfgang Benedek", facts.expert),
        ("Novaya Gazeta", facts.newspaper),
        ("city of Argun", f"city of {facts.town}"),
        ("At least 40 individuals", f"At least {facts.detained} individuals"),
        ("Around 40 people", f"Around {facts.detained} people"),
        ("At least two people", f"At least {facts.killed_word} people"),
        ("At least two individuals", f"At least {facts.killed_word} individuals"),
        ("killing of 100 gay men", f"killing of {facts.killed_before} gay men"),
        ("at least three men", f"at least {rng.choice(words)} men"),
        ("15 members", f"{facts.members} members"),
        ("16 participating States", f"{facts.members + rng.randrange(1, 9)} participating States"),
        ("Eight days after", f"{rng.choice(words).capitalize()} days after"),
        ("end of December 2018", f"end of {crackdown_month} {year - 1}"),
        ("On 1 April 2017", f"On {facts.dates[0]}"),
        ("On 30 August 2018", f"On {facts.dates[1]}"),
        ("on 1 November 2018", f"on {facts.dates[2]}"),
        ("issued on 20 December 2018", f"issued on {facts.dates[3]}"),
        ("the 2017 attacks", f"the {year - 2} attacks"),
        ("occurred in 2017", f"occurred in {year - 2}"),
    ]
    return facts


def _pool_sentence(rng: random.Random, pool: tuple[str, ...], facts: Facts) -> str:
    return rng.choice(pool).format(
        victim=facts.victim,
        town=facts.town,
        n=rng.randrange(3, 90),
        date=rng.choice(facts.dates),
    )


def _vary_sentences(
    rng: random.Random, paragraphs: list[str], pool: tuple[str, ...], facts: Facts
) -> list[list[str]]:
    """Drop, duplicate, reorder a few sentences; swap in some from the pool."""
    result = []
    for paragraph in paragraphs:
        for old, new in facts.substitutions:
            paragraph = paragraph.replace(old, new)
        sentences = _SENTENCE_SPLIT.split(paragraph)
        if len(sentences) >= 3 and rng.random() < 0.25:
            del sentences[rng.randrange(1, len(sentences))]
        if len(sentences) >= 2 and rng.random() < 0.25:
            index = rng.randrange(1, len(sentences))
            sentences[index - 1], sentences[index] = sentences[index], sentences[index - 1]
        if rng.random() < 0.15:
            sentences.append(rng.choice(sentences))
        if rng.random() < 0.3:
            sentences[rng.randrange(len(sentences))] = _pool_sentence(rng, pool, facts)
        if rng.random() < 0.3:
            sentences.insert(rng.randrange(len(sentences) + 1), _pool_sentence(rng, pool, facts))
        result.append(sentences)
    return result


def _revise(
    rng: random.Random, paragraphs: list[list[str]], pool: tuple[str, ...], facts: Facts
) -> None:
    """Change ~CHANGE_SHARE of the sentences: small edits (fuzzy), deletions
    (obsolete), new sentences (untranslated or fuzzy)."""
    for sentences in paragraphs:
        for index in reversed(range(len(sentences))):
            if rng.random() >= CHANGE_SHARE:
                continue
            kind = rng.random()
            if kind < 0.2 and len(sentences) > 1:
                del sentences[index]
            elif kind < 0.4:
                sentences[index] = _pool_sentence(rng, pool, facts)
            else:
                words = sentences[index].split(" ")
                words.insert(rng.randrange(1, max(2, len(words))), rng.choice(EDIT_WORDS))
                sentences[index] = " ".join(words)


def _wrap(sentences: list[str]) -> list[str]:
    lines = textwrap.wrap(
        " ".join(sentences), width=WIDTH, break_long_words=False, break_on_hyphens=False
    )
    # a last line in capitals ("(OSCE).") would read as a heading: give it a word
    while len(lines) > 1 and not any(char.islower() for char in lines[-1]):
        head, _, word = lines[-2].rpartition(" ")
        if not head:
            break
        lines[-2], lines[-1] = head, f"{word} {lines[-1]}"
    return lines


def _keep_breaks(paragraphs: list[list[str]], region: Iterable[str]) -> None:
    """Make each paragraph end visibly for the reader (which takes the region's
    longest line as the width): when the next paragraph's first word would not
    have fitted on the last line, move the last words down to a line of their own."""
    others = list(region)
    changed = True
    while changed:
        changed = False
        width = max(len(line) for line in [*others, *(ln for p in paragraphs for ln in p)])
        for lines, following in itertools.pairwise(paragraphs):
            first_word = following[0].split(" ", 1)[0]
            if len(lines[-1]) + 1 + len(first_word) <= width:
                continue
            words = lines[-1].split(" ")
            take = 1
            while take < len(words) and not any(c.islower() for c in " ".join(words[-take:])):
                take += 1
            if take >= len(words):
                continue
            lines[-1:] = [" ".join(words[:-take]), " ".join(words[-take:])]
            changed = True


@dataclass
class Paragraphs:
    summary: list[list[str]]
    letter: list[list[str]]
    background: list[list[str]]


def make_ua(base: Base, seed: int, index: int, revision: int) -> tuple[str, Paragraphs]:
    """The text of UA ``index``; ``revision`` 1 changes ~10% of its sentences."""
    rng = random.Random(f"{seed}:{index}")
    facts = make_facts(rng)
    office = rng.choice(OFFICES)
    name = _person(rng)
    title = rng.choice(TITLES).format(TOWN=facts.town.upper(), NUMBER=facts.detained)
    if rng.random() < 0.5:
        salutation = office.salutation
    else:
        salutation = f"Dear {rng.choice(('Mr', 'Ms', 'Dr'))} {name.split(' ')[-1]},"
    numbers = {
        "number": rng.randrange(1, 60),
        "postcode": rng.randrange(101000, 130000),
        "phone": rng.randrange(1000000, 9999999),
    }
    addressee = [
        name,
        office.title,
        office.street.format(**numbers),
        office.city.format(**numbers),
        "Russian Federation",
        *(contact.format(**numbers) for contact in office.contacts),
    ]
    summary = _vary_sentences(rng, base.summary, REPORT_POOL, facts)
    letter = _vary_sentences(rng, base.letter, LETTER_POOL, facts)
    background = _vary_sentences(rng, base.background, REPORT_POOL, facts)
    preferred = rng.choice(PREFERRED)
    if revision:
        revise = random.Random(f"{seed}:{index}:revision{revision}")
        _revise(revise, summary, REPORT_POOL, facts)
        _revise(revise, letter, LETTER_POOL, facts)
        _revise(revise, background, REPORT_POOL, facts)

    summary_lines = [_wrap(p) for p in summary]
    letter_lines = [_wrap(p) for p in letter]
    background_lines = [_wrap(p) for p in background]
    head = [base.banner, title, base.call_to_action, *addressee, salutation, base.closing]
    _keep_breaks([*summary_lines, *letter_lines], head)
    _keep_breaks(background_lines, [base.heading])
    out = [base.banner, title]
    out += [line for p in summary_lines for line in p]
    out += [base.call_to_action, *addressee, salutation]
    out += [line for p in letter_lines for line in p]
    out += [base.closing, "", base.heading]
    out += [line for p in background_lines for line in p]
    out += ["", f"PREFERRED LANGUAGE TO ADDRESS TARGET: {preferred}", base.own_language]
    out += [f"{base.deadline_label}: {facts.deadline}", *base.deadline_note]
    return "\n".join(out) + "\n", Paragraphs(summary, letter, background)


CONFIG = """\
# synthetic tree of bench_pipeline.py
source_language = "en"
segment = "sentence"
formats = ["txt", "html"]

[defaults]
min_translated = 100
"""


def write_tree(
    root: Path, base: Base, uas: int, languages: tuple[str, ...], seed: int, revision: int
) -> None:
    source = root / "source"
    source.mkdir(parents=True, exist_ok=True)
    if revision == 0:
        table = "".join(f"\n[languages.{code}]\nrequired = false\n" for code in languages)
        (root / "uai18n.toml").write_text(CONFIG + table, "utf-8")
    for index in range(1, uas + 1):
        text, _ = make_ua(base, seed, index, revision)
        path = source / f"ua-{index:04d}.txt"
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")


def verify_layout(base: Base, uas: int, seed: int) -> str:
    """Read a sample of the UAs with the project's reader: the paragraphs we
    wrote must be the paragraphs it reads."""
    try:
        from uai18n.model import Role
        from uai18n.readers.text import read_text
    except ImportError as error:  # the reader moved: say so, do not fail
        return f"layout check skipped ({error})"
    sample = range(1, min(uas, 40) + 1)
    for index in sample:
        for revision in (0, 1):
            text, paragraphs = make_ua(base, seed, index, revision)
            document = read_text(text, doc_id="x", source_path="x.txt", language="en")
            roles = [block.role for block in document.blocks]
            for role, expected in (
                (Role.SUMMARY, paragraphs.summary),
                (Role.LETTER, paragraphs.letter),
                (Role.BACKGROUND, paragraphs.background),
            ):
                if roles.count(role) != len(expected):
                    raise SystemExit(
                        f"UA {index} revision {revision}: the reader sees {roles.count(role)} "
                        f"{role} paragraph(s), the generator wrote {len(expected)}"
                    )
    return f"layout check: {len(sample)} UAs x 2 revisions read as written"


# --- measuring ---------------------------------------------------------------------


@dataclass
class Row:
    stage: str
    seconds: float
    rss_mib: float
    files: int
    cpu: float  # user + system seconds of the child(ren)


class StageError(SystemExit):
    pass


def run_child(command: list[str], log: Path) -> tuple[float, float, float]:
    """Run ``command``: wall seconds, the child's peak RSS (MiB, via wait4) and
    its CPU seconds (user + system; less disturbed by a busy machine)."""
    with log.open("ab") as out:
        out.write(("$ " + " ".join(command) + "\n").encode())
        out.flush()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-5:]
        raise StageError(f"{' '.join(command)}: exit {child.returncode}\n" + "\n".join(tail))
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, cpu  # ru_maxrss is in KiB on Linux


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, mtime, size) of every file under root: what a stage wrote."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            files[path] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return files


def written(before: dict[str, tuple[int, int, int]], after: dict[str, tuple[int, int, int]]) -> int:
    return sum(1 for path, state in after.items() if before.get(path) != state)


def measure(stage: str, command: list[str], root: Path, log: Path, rows: list[Row]) -> Row:
    before = snapshot(root)
    seconds, rss, cpu = run_child(command, log)
    row = Row(stage, seconds, rss, written(before, snapshot(root)), cpu)
    rows.append(row)
    print(f"  {stage:<28} {seconds:8.2f} s", flush=True)
    return row


# --- setup steps -----------------------------------------------------------------


def fake_translation(msgid: str, language: str) -> str:
    """The msgid reversed, its ``{fields}`` kept as they are, tagged with the
    language so that no two languages share a msgstr (as with real ones)."""
    parts = re.split(r"(\{\w+\})", msgid)
    body = "".join(part if part.startswith("{") else part[::-1] for part in parts)
    return f"{body} [{language}]"


def prefill(po_dir: Path, languages: tuple[str, ...], seed: int) -> tuple[int, int]:
    """Translate ~FILL_SHARE of each catalogue's entries with polib; save."""
    filled = total = 0
    for language in languages:
        for path in sorted((po_dir / language).glob("*.po")):
            rng = random.Random(f"{seed}:{language}:{path.stem}")
            catalog = polib.pofile(str(path), wrapwidth=79)
            for entry in catalog:
                if entry.obsolete or not entry.msgid:
                    continue
                total += 1
                if rng.random() < FILL_SHARE:
                    entry.msgstr = fake_translation(entry.msgid, language)
                    filled += 1
            catalog.save(str(path))
    return filled, total


def msgmerge_all(before: Path, out: Path, languages: tuple[str, ...], log: Path) -> Row:
    """``msgmerge --previous`` per catalogue, sequentially, timed in total."""
    jobs = []
    for language in languages:
        (out / language).mkdir(parents=True, exist_ok=True)
        for po in sorted((before / language).glob("*.po")):
            pot = before / "templates" / f"{po.stem}.pot"
            target = out / language / po.name
            jobs.append(["msgmerge", "--previous", "-q", "-o", str(target), str(po), str(pot)])
    seconds = rss = cpu = 0.0
    for command in jobs:
        took, peak, used = run_child(command, log)
        seconds += took
        cpu += used
        rss = max(rss, peak)
    print(f"  {'msgmerge --previous':<28} {seconds:8.2f} s", flush=True)
    return Row(f"msgmerge --previous ({len(jobs)}x)", seconds, rss, len(jobs), cpu)


def start_cost(command: list[str], log: Path, times: int = 30) -> float:
    """Mean wall seconds of a trivial run of ``command`` (process start-up)."""
    return sum(run_child(command, log)[0] for _ in range(times)) / times


def generate(
    tree: Path, root: Path, uai18n: str, uas: int, languages: tuple[str, ...], seed: int
) -> Base:
    """Say what is measured (size, code, load), check the layout, write the tree."""
    base = parse_base(BASE_UA.read_text("utf-8"))
    print(f"{uas} UAs x {len(languages)} languages ({' '.join(languages)}) in {root}")
    print(f"uai18n {uai18n} {describe_code()}")
    print("load average at the start " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(verify_layout(base, uas, seed))
    step = time.perf_counter()
    write_tree(tree, base, uas, languages, seed, revision=0)
    print(f"  generated {uas} UAs in {time.perf_counter() - step:.1f} s", flush=True)
    return base


def describe_code() -> str:
    """The commit measured, and whether src/ had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "(not a git checkout)"
    return f"at {head}" + (
        f" + uncommitted changes in {len(dirty)} file(s) of src/" if dirty else ""
    )


_UPDATE_LINE = re.compile(r": \w+; (\d+) translated, (\d+) fuzzy, (\d+) untranslated$")


def update_counts(log: Path, since: int) -> tuple[int, int, int]:
    counts = [0, 0, 0]
    with log.open("rb") as stream:
        stream.seek(since)
        for raw in stream:
            match = _UPDATE_LINE.search(raw.decode("utf-8", errors="replace").rstrip())
            if match:
                for place in range(3):
                    counts[place] += int(match.group(place + 1))
    return counts[0], counts[1], counts[2]


def states(po_dir: Path, languages: tuple[str, ...]) -> tuple[int, int]:
    """(fuzzy, obsolete) entries of every catalogue, from the text."""
    fuzzy = obsolete = 0
    for language in languages:
        for path in (po_dir / language).glob("*.po"):
            for line in path.read_text("utf-8").splitlines():
                if line.startswith("#, fuzzy"):
                    fuzzy += 1
                elif line.startswith("#~ msgid "):
                    obsolete += 1
    return fuzzy, obsolete


def identical(ours: Path, theirs: Path, languages: tuple[str, ...]) -> tuple[int, int]:
    same = count = 0
    for language in languages:
        for path in (theirs / language).glob("*.po"):
            count += 1
            mine = ours / language / path.name
            same += mine.exists() and mine.read_bytes() == path.read_bytes()
    return same, count


# --- the benchmark -----------------------------------------------------------------


def find_uai18n() -> str:
    beside = Path(sys.executable).with_name("uai18n")
    if beside.exists():
        return str(beside)
    found = shutil.which("uai18n")
    if found is None:
        raise SystemExit("uai18n is not installed: pip install -e . (in this venv)")
    return found


def prepare_workdir(
    requested: Path | None,
    *,
    marker: str = MARKER,
    own_dirs: tuple[str, ...] = OWN_DIRS,
    made_by: str = "benchmarks/bench_pipeline.py",
) -> tuple[Path, Callable[[], None]]:
    """The folder to work in and how to clean it up (only what we created)."""
    if requested is None:
        root = Path(tempfile.mkdtemp(prefix="uai18n-bench-"))
        return root, lambda: shutil.rmtree(root, ignore_errors=True)
    root = requested.resolve()
    if root.exists() and any(root.iterdir()) and not (root / marker).exists():
        raise SystemExit(f"--workdir {root}: not empty and not made by this benchmark")
    root.mkdir(parents=True, exist_ok=True)
    for name in own_dirs:
        shutil.rmtree(root / name, ignore_errors=True)
    (root / marker).write_text(f"made by {made_by}\n", "utf-8")

    def clean() -> None:
        for name in own_dirs:
            shutil.rmtree(root / name, ignore_errors=True)
        (root / marker).unlink(missing_ok=True)

    return root, clean


def print_table(rows: list[Row]) -> None:
    print(f"{'stage':<34}{'seconds':>9}{'peak RSS MiB':>14}{'files':>8}{'cpu s':>9}")
    print("-" * 74)
    for row in rows:
        print(
            f"{row.stage:<34}{row.seconds:>9.2f}{row.rss_mib:>14.1f}{row.files:>8}{row.cpu:>9.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uas", type=int, default=100, help="number of UAs (default 100)")
    parser.add_argument(
        "--langs", type=int, default=10, help=f"target languages, 1-{len(ALL_LANGUAGES)}"
    )
    parser.add_argument("--workdir", type=Path, help="work here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the trees afterwards")
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    args = parser.parse_args(argv)
    if not 1 <= args.langs <= len(ALL_LANGUAGES) or args.uas < 1:
        parser.error(f"--uas >= 1 and --langs 1-{len(ALL_LANGUAGES)}")
    languages = ALL_LANGUAGES[: args.langs]
    uai18n = find_uai18n()
    started = time.perf_counter()
    root, clean = prepare_workdir(args.workdir)
    tree, before, merged, fresh, logs = (root / name for name in OWN_DIRS)
    logs.mkdir()
    log = logs / "uai18n.log"
    rows: list[Row] = []
    spawn = 0.0
    try:
        base = generate(tree, root, uai18n, args.uas, languages, args.seed)

        def cli(*words: str, where: Path = tree) -> list[str]:
            return [uai18n, "-C", str(where), *words]

        measure("extract", cli("extract"), tree, log, rows)
        measure("update (create catalogues)", cli("update"), tree, log, rows)
        step = time.perf_counter()
        filled, total = prefill(tree / "po", languages, args.seed)
        took = time.perf_counter() - step
        print(f"  prefilled {filled} of {total} msgstr with polib in {took:.1f} s")
        write_tree(tree, base, args.uas, languages, args.seed, revision=1)
        measure("extract (~10% changed)", cli("extract"), tree, log, rows)
        shutil.copytree(tree / "po", before)
        offset = log.stat().st_size
        measure("update", cli("update"), tree, log, rows)
        translated, fuzzy, untranslated = update_counts(log, offset)
        measure("build --draft", cli("build", "--draft"), tree, log, rows)

        msgmerge = shutil.which("msgmerge")
        merge_row = None
        if msgmerge is None:
            print("  msgmerge not on PATH: comparison skipped (apt-get install gettext)")
        else:
            merge_row = msgmerge_all(before, merged, languages, logs / "msgmerge.log")
            rows.append(merge_row)
            spawn = start_cost([msgmerge, "--version"], logs / "msgmerge.log")

        fresh.mkdir()
        shutil.copy2(tree / "uai18n.toml", fresh / "uai18n.toml")
        shutil.copytree(tree / "source", fresh / "source")
        full = measure("run (fresh copy)", cli("run", where=fresh), fresh, log, rows)
        noop = measure("run (no-op rerun)", cli("run", where=fresh), fresh, log, rows)
        startup = start_cost([uai18n, "--version"], log, times=10)

        print()
        print(
            f"uai18n {args.uas} UAs x {len(languages)} languages = {args.uas * len(languages)} "
            f"catalogues; peak RSS by os.wait4 per child; files = files created or changed"
        )
        print_table(rows)
        print()
        print(
            f"measured update: {translated} translated, {fuzzy} fuzzy, {untranslated} untranslated "
            f"entries (uai18n's report)"
        )
        ours = states(tree / "po", languages)
        print(f"fuzzy / obsolete entries after update: uai18n {ours[0]} / {ours[1]}", end="")
        update_row = next(row for row in rows if row.stage == "update")
        if merge_row is not None:
            theirs = states(merged, languages)
            same, count = identical(tree / "po", merged, languages)
            print(f", msgmerge {theirs[0]} / {theirs[1]}; byte-identical: {same} of {count}")
            print(
                f"msgmerge process start-up (msgmerge --version): {1000 * spawn:.1f} ms each, "
                f"~{spawn * merge_row.files:.1f} s of its {merge_row.seconds:.1f} s"
            )
            ratio = update_row.seconds / merge_row.seconds
            verdict = "met" if ratio <= 1.0 else "NOT met"
            by_cpu = update_row.cpu / merge_row.cpu
            print(
                f"update vs msgmerge: {ratio:.2f}x (goal <= 1.0: {verdict}; by cpu s {by_cpu:.2f}x)"
            )
        else:
            print()
            print("update vs msgmerge: skipped (msgmerge not on PATH)")
        share = 100.0 * noop.seconds / full.seconds
        verdict = "met" if share < 5.0 else "NOT met"
        print(f"no-op rerun: {share:.1f}% of a full run (goal < 5%: {verdict})")
        print(f"uai18n start-up alone (uai18n --version): {startup:.2f} s")
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"benchmark took {time.perf_counter() - started:.1f} s; load average at the end {load}"
        )
    except StageError as error:
        print(f"stage failed: {error}", file=sys.stderr)
        print(f"logs kept in {logs}", file=sys.stderr)
        return 1
    if args.keep:
        print(f"kept: {root}")
    else:
        clean()
    return 0


if __name__ == "__main__":
    sys.exit(main())
