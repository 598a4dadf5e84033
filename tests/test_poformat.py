"""Tests for :mod:`uai18n.po.write`: our PO text must be msgcat's PO text.

The property tests run GNU gettext's ``msgcat`` on what :func:`dumps` writes
and require it to change nothing; the examples pin down the gettext
behaviours found by experiment with msgcat 0.21; the round trip checks that
polib reads back what we wrote.

Non-ASCII test text is written with escapes (or built from code point
ranges) so the source stays free of look-alike characters.
"""

from __future__ import annotations

import shutil
import string
import subprocess

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uai18n.po.write import dumps, format_entry, wrap_string

MSGCAT = shutil.which("msgcat")

# --------------------------------------------------------------------------
# Strategies


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(cp) for first, last in ranges for cp in range(first, last + 1))


SCRIPTS = {
    "latin": string.ascii_letters + _chars((0xE0, 0xF6), (0xF8, 0xFF), (0x100, 0x17F)),
    "cyrillic": _chars((0x410, 0x44F)),
    "greek": _chars((0x391, 0x3A1), (0x3B1, 0x3C9)),
    "hebrew": _chars((0x5D0, 0x5EA)),
    "arabic": _chars((0x621, 0x63A), (0x641, 0x64A)),
    "cjk": _chars((0x4E00, 0x4E3F), (0x3041, 0x3096), (0x30A1, 0x30FA)),
    "hangul": _chars((0xAC00, 0xAC3F)),
}
PUNCTUATION = [
    *".,;:!?()[]{}<>-/'\"%$&*+=#@_|~`^",
    "\u2014",  # em dash
    "\u2013",  # en dash
    "\u2026",  # ellipsis
    "\u00ab",  # guillemets
    "\u00bb",
    "\u201c",  # curly quotes
    "\u201d",
    "\u2019",
    "\u3002",  # ideographic full stop
    "\u3001",  # ideographic comma
    "\u300c",  # corner brackets
    "\u300d",
    "\uff01",  # fullwidth exclamation mark
    "\u060c",  # Arabic comma
    "\u061f",  # Arabic question mark
    "\u00a0",  # no-break space
    "\u20ac",  # euro sign
    "\u00b0",  # degree sign
    "\u0301",  # combining acute accent
    "\u200b",  # zero width space
    "\U0001f600",  # emoji
]
SPECIALS = ["\n", "\t", "\\", '"', "\r", "\n\n", "\b", "\f", "\v"]
DIRECTIVES = ["{deadline}", "{0}", "{name!r}", "{count:>5}", "{user.name}"]
DIRECTIVES += ["%s", "%d", "%(count)d", "%(user-name)s", "%%", "{{", "}}", "%-5s"]
# Characters polib cannot read back (str.splitlines() splits at them, and it
# does not know the \a escape), but gettext takes in its stride: U+2028 is
# even a mandatory UAX #14 break. Other control characters are written raw.
POLIB_UNSAFE = ["\u2028", "\x85", "\a", "\x01", "\x1b", "\x7f"]


def _words(polib_safe: bool) -> st.SearchStrategy[str]:
    """A word, punctuation, escape-worthy character or format directive."""
    script_words = st.one_of(
        [st.text(alphabet=alphabet, min_size=1, max_size=12) for alphabet in SCRIPTS.values()]
    )
    # Long unbreakable words: what they are made of does not matter.
    long_tokens = st.tuples(st.sampled_from(string.ascii_lowercase), st.integers(60, 110)).map(
        lambda t: t[0] * t[1]
    )
    joined = st.tuples(script_words, st.sampled_from("-/"), script_words).map("".join)
    choices = [
        script_words,
        script_words,
        script_words,
        joined,
        st.sampled_from(PUNCTUATION),
        st.sampled_from(SPECIALS),
        st.sampled_from(DIRECTIVES),
        long_tokens,
        st.just("https://example.org/urgent-actions/2019/chechnya?lang=de"),
    ]
    if not polib_safe:
        choices.append(st.sampled_from(POLIB_UNSAFE))
    return st.one_of(choices)


def _messages(polib_safe: bool, min_size: int) -> st.SearchStrategy[str]:
    """Text of a msgid or msgstr: words joined by spaces or nothing."""
    pieces = st.lists(
        st.tuples(_words(polib_safe), st.sampled_from([" ", " ", " ", "", "  "])),
        min_size=min_size,
        max_size=12,
    )
    return pieces.map(lambda ps: "".join(w + s for w, s in ps))


MESSAGES = {
    (safe, min_size): _messages(safe, min_size) for safe in (True, False) for min_size in (0, 1)
}


def messages(polib_safe: bool, min_size: int = 0) -> st.SearchStrategy[str]:
    return MESSAGES[polib_safe, min_size]


comment_text = st.lists(
    st.text(
        alphabet=SCRIPTS["latin"] + SCRIPTS["cyrillic"] + " .,:;!?()-/{}#",
        min_size=1,
        max_size=30,
    ).map(str.strip),
    min_size=0,
    max_size=3,
).map(lambda lines: "\n".join(line for line in lines if line))
paths = st.tuples(
    st.lists(st.sampled_from(["source", "src", "docs", "urgent-actions", "x"]), max_size=3),
    st.sampled_from(["ua-2-19-chechnya", "main", "a_rather_long_file_name", "f"]),
    st.sampled_from([".txt", ".py", ".c"]),
).map(lambda t: "/".join([*t[0], t[1] + t[2]]))
references = st.lists(
    st.tuples(paths, st.one_of(st.just(""), st.integers(1, 99999).map(str))),
    max_size=8,
    unique=True,
)
# gettext's format flags, one value (or none) per language, plus the others.
flag_sets = st.tuples(
    st.sampled_from([None, "fuzzy"]),
    st.sampled_from([None, "c-format", "no-c-format"]),
    st.sampled_from([None, "python-format", "no-python-format"]),
    st.sampled_from([None, "python-brace-format", "no-python-brace-format"]),
    st.sampled_from([None, "range: 0..10"]),
    st.sampled_from([None, "no-wrap"]),
).flatmap(lambda flags: st.permutations([flag for flag in flags if flag]))


@st.composite
def entries(draw: st.DrawFn, polib_safe: bool) -> polib.POEntry:
    """A random entry: any mix of comments, flags, previous strings, plurals."""
    text = messages(polib_safe)
    entry = polib.POEntry(
        msgid=draw(messages(polib_safe, min_size=1).filter(bool)),
        msgctxt=draw(st.one_of(st.none(), text)),
        tcomment=draw(comment_text),
        comment=draw(comment_text),
        occurrences=draw(references),
        flags=draw(flag_sets),
        obsolete=draw(st.booleans()),
    )
    plural = draw(st.booleans())
    if plural:  # polib cannot tell an empty msgid_plural from none
        entry.msgid_plural = draw(messages(polib_safe, min_size=1).filter(bool))
        forms = draw(st.integers(1, 3))
        entry.msgstr_plural = {i: draw(text) for i in range(forms)}
    else:
        entry.msgstr = draw(text)
    # gettext's grammar wants "#| msgid" whenever "#| msgctxt" or
    # "#| msgid_plural" is present.
    if draw(st.booleans()):
        entry.previous_msgid = draw(text)
        entry.previous_msgctxt = draw(st.one_of(st.none(), text))
        if plural and draw(st.booleans()):
            entry.previous_msgid_plural = draw(text)
    return entry


@st.composite
def catalogs(draw: st.DrawFn, polib_safe: bool = True) -> polib.POFile:
    """A catalogue with a UTF-8 header and entries with distinct msgids."""
    catalog = polib.POFile()
    catalog.header = draw(comment_text)
    catalog.metadata = {
        "Project-Id-Version": "ua-2-19-chechnya",
        "Last-Translator": draw(st.sampled_from(["", "Jane Doe <jane@example.org>", "x" * 90])),
        "Language": draw(st.sampled_from(["de", "ru", "ar", "zh_CN", "ja"])),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    catalog.metadata_is_fuzzy = ["fuzzy"] if draw(st.booleans()) else 0
    seen = set()
    for entry in draw(st.lists(entries(polib_safe), max_size=6)):
        key = (entry.msgctxt, entry.msgid)
        if key not in seen:  # gettext rejects duplicate definitions
            seen.add(key)
            catalog.append(entry)
    return catalog


# --------------------------------------------------------------------------
# Property tests


def run_msgcat(text: str, tmp_path_factory: pytest.TempPathFactory, *options: str) -> str:
    path = tmp_path_factory.mktemp("po") / "catalog.po"
    path.write_bytes(text.encode("utf-8"))
    result = subprocess.run(
        [str(MSGCAT), *options, str(path)],
        capture_output=True,
        check=False,
        env={"LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode("utf-8")


needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext's msgcat is not installed")


@needs_msgcat
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(catalog=catalogs(polib_safe=False))
def test_msgcat_changes_nothing(
    catalog: polib.POFile, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = dumps(catalog)
    # Plain msgcat writes nothing for a catalogue that has only a header;
    # dumps() writes the header, as msgcat --force-po does.
    options = () if any(format_entry(e) for e in catalog) else ("--force-po",)
    assert run_msgcat(text, tmp_path_factory, *options) == text


def _surviving(entry: polib.POEntry) -> bool:
    """gettext writes no obsolete entry whose (first) msgstr is empty."""
    first = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
    return not (entry.obsolete and first == "")


def _expected_flags(entry: polib.POEntry) -> set[str]:
    first = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
    flags = set(entry.flags)
    if first == "":
        flags.discard("fuzzy")  # gettext drops fuzzy from untranslated entries
    if entry.obsolete:
        flags.discard("range: 0..10")  # and range from obsolete ones
    return flags


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(catalog=catalogs(polib_safe=True))
def test_polib_reads_back_what_we_write(catalog: polib.POFile) -> None:
    again = polib.pofile(dumps(catalog))
    assert again.metadata == catalog.metadata
    assert again.header == catalog.header
    assert bool(again.metadata_is_fuzzy) == bool(catalog.metadata_is_fuzzy)
    # Obsolete entries come last, in order; empty obsolete ones are gone.
    written = [e for e in catalog if not e.obsolete]
    written += [e for e in catalog if e.obsolete and _surviving(e)]
    assert len(again) == len(written)
    for read, wrote in zip(again, written, strict=True):
        assert read.msgid == wrote.msgid
        assert read.msgctxt == wrote.msgctxt
        assert read.msgid_plural == wrote.msgid_plural
        assert read.msgstr == wrote.msgstr
        assert read.msgstr_plural == wrote.msgstr_plural
        assert set(read.flags) == _expected_flags(wrote)
        assert read.tcomment == wrote.tcomment
        assert read.comment == wrote.comment
        assert read.occurrences == wrote.occurrences
        assert bool(read.obsolete) == wrote.obsolete
        if not wrote.obsolete:  # polib skips the #~| lines of obsolete entries
            assert read.previous_msgctxt == wrote.previous_msgctxt
            assert read.previous_msgid == wrote.previous_msgid
            assert read.previous_msgid_plural == wrote.previous_msgid_plural


# --------------------------------------------------------------------------
# Examples (each checked against msgcat 0.21 when it was written)


def test_short_string_stays_on_one_line() -> None:
    assert wrap_string("msgid", "Hello") == ['msgid "Hello"']
    assert wrap_string("msgstr", "") == ['msgstr ""']
    assert wrap_string("msgid", "Line\n") == ['msgid "Line\\n"']


def test_long_english_sentence() -> None:
    text = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
        "tempor incididunt ut labore et dolore magna aliqua."
    )
    assert wrap_string("msgid", text) == [
        'msgid ""',
        '"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "',
        '"tempor incididunt ut labore et dolore magna aliqua."',
    ]


def test_placeholder_sentence_breaks_at_spaces_only() -> None:
    text = (
        "Write to the Russian authorities before {deadline}, urging them to "
        "release {name} and everyone detained in the crackdown in Chechnya."
    )
    entry = polib.POEntry(msgid=text, flags=["python-brace-format"])
    assert format_entry(entry) == [
        "#, python-brace-format",
        'msgid ""',
        '"Write to the Russian authorities before {deadline}, urging them to release "',
        '"{name} and everyone detained in the crackdown in Chechnya."',
        'msgstr ""',
    ]


def test_breaks_after_hyphen_and_slash() -> None:
    # UAX #14: a break may follow "-" and "/", not only a space.
    text = "a" * 61 + " well-known and/or not"
    assert wrap_string("msgid", text) == [
        'msgid ""',
        f'"{"a" * 61} well-known and/"',
        '"or not"',
    ]
    assert wrap_string("msgid", "a" * 72 + " e-mail") == [
        'msgid ""',
        f'"{"a" * 72} e-"',
        '"mail"',
    ]


def test_never_breaks_inside_a_python_format_directive() -> None:
    text = "a" * 62 + " x %(user-name)s"
    assert wrap_string("msgid", text) == [
        'msgid ""',
        f'"{"a" * 62} x %(user-"',
        '"name)s"',
    ]
    entry = polib.POEntry(msgid=text, flags=["python-format"])
    assert format_entry(entry)[1:4] == [
        'msgid ""',
        f'"{"a" * 62} x "',
        '"%(user-name)s"',
    ]


def test_python_brace_format_quirk_of_gettext() -> None:
    # gettext 0.21 records python-brace directives at offsets relative to the
    # directive, so the *start of the string* is what it keeps unbroken:
    # here bytes 1..2 ("{x}" is 3 long), which glues "a " to the long word.
    text = "a " + "h" * 78 + " {x}"
    assert wrap_string("msgid", text) == ['msgid ""', '"a "', f'"{"h" * 78} "', '"{x}"']
    entry = polib.POEntry(msgid=text, flags=["python-brace-format"])
    assert format_entry(entry)[1:4] == ['msgid ""', f'"a {"h" * 78} "', '"{x}"']


def test_embedded_newlines_and_escapes() -> None:
    assert wrap_string("msgstr", 'Say "hi"\n\tto C:\\temp\nnow') == [
        'msgstr ""',
        '"Say \\"hi\\"\\n"',
        '"\\tto C:\\\\temp\\n"',
        '"now"',
    ]


def test_unbreakable_word_overflows() -> None:
    word = "x" * 100
    assert wrap_string("msgid", word) == [f'msgid "{word}"']
    assert wrap_string("msgid", "see " + word) == ['msgid ""', '"see "', f'"{word}"']


def test_wide_characters_count_two_columns() -> None:
    # 50 ideographs are 100 columns; a continuation line holds 38 of them.
    # Cyrillic and Arabic letters count one column each.
    cjk = "\u4e2d" * 50
    assert wrap_string("msgid", cjk) == [
        'msgid ""',
        '"' + "\u4e2d" * 38 + '"',
        '"' + "\u4e2d" * 12 + '"',
    ]
    cyrillic = "\u0436" * 70
    assert wrap_string("msgid", cyrillic) == [f'msgid "{cyrillic}"']


def test_prefixes_for_obsolete_and_previous_strings() -> None:
    text = "word " * 20
    assert wrap_string("msgid", text, prefix="#~ ") == [
        '#~ msgid ""',
        '#~ "' + "word " * 14 + '"',
        '#~ "' + "word " * 6 + '"',
    ]
    assert wrap_string("msgid", "old", prefix="#| ") == ['#| msgid "old"']


def test_header_with_language_and_plural_forms() -> None:
    catalog = polib.POFile()
    catalog.header = "German translation of the Urgent Action.\n\nJane Doe, 2019."
    catalog.metadata_is_fuzzy = ["fuzzy"]
    catalog.metadata = {
        "Project-Id-Version": "ua-2-19-chechnya",
        "Language": "de",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    catalog.append(polib.POEntry(msgid="Hello", msgstr="Hallo"))
    assert dumps(catalog) == (
        "# German translation of the Urgent Action.\n"
        "#\n"
        "# Jane Doe, 2019.\n"
        "#, fuzzy\n"
        'msgid ""\n'
        'msgstr ""\n'
        '"Project-Id-Version: ua-2-19-chechnya\\n"\n'
        '"Language: de\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
        "\n"
        'msgid "Hello"\n'
        'msgstr "Hallo"\n'
    )


def test_obsolete_entry_with_previous_msgid() -> None:
    entry = polib.POEntry(
        msgid="Release him now",
        msgstr="Lassen Sie ihn jetzt frei",
        previous_msgid="Release him",
        tcomment="checked by Jane",
        occurrences=[("source/ua.txt", "12")],
        flags=["python-format", "fuzzy", "range: 1..3"],
        obsolete=True,
    )
    assert format_entry(entry) == [
        "# checked by Jane",
        "#: source/ua.txt:12",
        "#, fuzzy, python-format",
        '#~| msgid "Release him"',
        '#~ msgid "Release him now"',
        '#~ msgstr "Lassen Sie ihn jetzt frei"',
    ]
    entry.msgstr = ""
    assert format_entry(entry) == []  # gettext drops it


ODD_FLAGS = [
    "possible-c-format impossible-python-format",
    "range: 05..7",
    "no-wrap",
    "wrap",
    "java-format",
    "no-java-format",
    "ellipsis-unicode-check",
]


def test_flags_are_normalised_like_gettext() -> None:
    entry = polib.POEntry(
        msgid="x",
        msgstr="y",
        flags=["python-brace-format", "no-wrap", "fuzzy", "my-own-flag", "c-format"],
    )
    assert format_entry(entry)[0] == "#, fuzzy, c-format, python-brace-format, no-wrap"
    entry.msgstr = ""  # fuzzy is meaningless without a translation
    assert format_entry(entry)[0] == "#, c-format, python-brace-format, no-wrap"
    # possible- is written as plain, impossible- dropped, the last word wins,
    # and flags may be separated by spaces as well as commas.
    entry.flags = list(ODD_FLAGS)
    assert format_entry(entry)[0] == "#, c-format, no-java-format, range: 5..7"
    entry.flags = ["wrap", "fuzzy"]
    assert format_entry(entry)[0] == 'msgid "x"'


def test_no_wrap_keeps_long_lines() -> None:
    text = "word " * 30 + "end"
    entry = polib.POEntry(msgid=text, flags=["no-wrap"])
    assert format_entry(entry)[1] == f'msgid "{text}"'


def test_references_are_deduplicated_and_wrapped() -> None:
    refs = [(f"source/urgent-action-{n:02d}.txt", str(n)) for n in range(1, 6)]
    refs.append(("./source/urgent-action-01.txt", "1"))
    refs.append(("README", ""))
    entry = polib.POEntry(msgid="x", occurrences=refs)
    assert format_entry(entry)[:3] == [
        "#: source/urgent-action-01.txt:1 source/urgent-action-02.txt:2",
        "#: source/urgent-action-03.txt:3 source/urgent-action-04.txt:4",
        "#: source/urgent-action-05.txt:5 README",
    ]


def test_references_hidden_in_comments_and_names_with_spaces() -> None:
    # gettext reads a Sun-style "# File: NAME, line:N" comment as a file
    # position, and a file name with a space as two references.
    entry = polib.POEntry(
        msgid="x",
        tcomment="File: letter.txt, line:3\nkeep this",
        occurrences=[("my letter.txt", "7")],
    )
    assert format_entry(entry)[:2] == ["# keep this", "#: letter.txt:3 my letter.txt:7"]


def test_plural_entry_and_context() -> None:
    entry = polib.POEntry(
        msgctxt="letter",
        msgid="One person",
        msgid_plural="{count} people",
        msgstr_plural={0: "Eine Person", 1: "{count} Personen"},
        comment="appeal count",
    )
    assert format_entry(entry) == [
        "#. appeal count",
        'msgctxt "letter"',
        'msgid "One person"',
        'msgid_plural "{count} people"',
        'msgstr[0] "Eine Person"',
        'msgstr[1] "{count} Personen"',
    ]


def test_header_only_catalogue_is_kept() -> None:
    # Plain msgcat writes nothing for it; we write it as msgcat --force-po.
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    assert dumps(catalog) == ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    assert dumps(polib.POFile()) == ""


def test_entry_order_puts_obsolete_last() -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="old", msgstr="alt", obsolete=True))
    catalog.append(polib.POEntry(msgid="b", msgstr="B"))
    catalog.append(polib.POEntry(msgid="a", msgstr="A"))
    assert dumps(catalog) == (
        'msgid "b"\nmsgstr "B"\n\nmsgid "a"\nmsgstr "A"\n\n#~ msgid "old"\n#~ msgstr "alt"\n'
    )


@needs_msgcat
def test_examples_agree_with_msgcat(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The strings and entries of the examples above, run through msgcat."""
    mixed = (
        "\u0421\u0440\u043e\u0447\u043d\u0430\u044f \u0430\u043a\u0446\u0438\u044f: "
        + "\u7d27\u6025\u884c\u52a8\u3002" * 9
        + " \u0639\u0645\u0644 \u0639\u0627\u062c\u0644\u060c well-known/obscure "
        + "https://example.org/"
        + "x" * 70
    )
    samples = [
        ("", mixed, []),
        ("", "a" * 61 + " well-known and/or not", []),
        ("", "a" * 72 + " e-mail", []),
        ("", "a" * 62 + " x %(user-name)s", []),
        ("python-format", "a" * 62 + " x %(user-name)s", []),
        ("", "a " + "h" * 78 + " {x}", []),
        ("python-brace-format", "a " + "h" * 78 + " {x}", []),
        ("", 'Say "hi"\n\tto C:\\temp\nnow', []),
        ("", "see " + "x" * 100, []),
        ("", "\u4e2d" * 50, []),
        ("", "\u0436" * 70, []),
        ("no-wrap", "word " * 30 + "end", []),
        ("", "x", [(f"source/urgent-action-{n:02d}.txt", str(n)) for n in (1, 2)]),
    ]
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for n, (flag, text, refs) in enumerate(samples):
        entry = polib.POEntry(msgctxt=str(n), msgid=text, msgstr=text, occurrences=refs)
        entry.flags = [flag] if flag else []
        catalog.append(entry)
    catalog.append(
        polib.POEntry(
            msgid="flags",
            msgstr="y",
            tcomment="first\n\n  indented",
            comment="extracted\n",
            occurrences=[("./a.c", "007"), ("a.c", "7"), ("b.c", "")],
            flags=list(ODD_FLAGS),
        )
    )
    catalog.append(
        polib.POEntry(
            msgid="hidden references",
            tcomment="File: letter.txt, line:3\nkeep this",
            occurrences=[("my letter.txt", "7"), ("letter.txt", "3")],
        )
    )
    catalog.append(polib.POEntry(msgid="word " * 20, msgstr="x", obsolete=True))
    catalog.append(polib.POEntry(msgid="gone", msgstr="", obsolete=True))
    text = dumps(catalog)
    assert "#: a.c:7 b.c\n#, c-format, no-java-format, range: 5..7\n" in text
    assert "# first\n#\n#   indented\n#. extracted\n#.\n" in text
    assert run_msgcat(text, tmp_path_factory) == text
    for n, (flag, sample, _refs) in enumerate(samples):
        if not flag:  # the bare strings wrap as wrap_string() says
            lines = wrap_string("msgid", sample)
            assert "\n".join(lines) in text, n
