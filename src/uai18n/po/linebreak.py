"""Where GNU gettext may break a PO string line: UAX #14 as libunistring 1.0 has it.

See :mod:`uai18n.po.write` for why and how closely this follows gettext.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

PAGE_WIDTH = 79
"""msgcat's default page width."""

# --------------------------------------------------------------------------
# Unicode line-breaking classes (UAX #14), numbered as in libunistring so the
# pair table below can be compared with its ``unilbrk_table``.

(_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP1, _CP2, _EX, _IN, _NS, _OP1, _OP2,
 _QU, _IS, _NU, _PO, _PR, _SY, _AL, _H2, _H3, _ID1, _ID2, _JL, _JV, _JT, _HL,
 _RI, _ZWJ, _EB, _EM) = range(33)  # fmt: skip
# Classes handled by the algorithm itself rather than by the pair table.
_BK, _CR, _LF, _CM, _ZW, _SP = range(33, 39)
_HL_BA = 100  # "Hebrew letter followed by a hyphen", remembered for LB21a.

# Break opportunity between a character of the row class and a following
# character of the column class (table 7.3 of UAX #14 as libunistring 1.0 has
# it): D = direct break, I = only when spaces intervene, P = prohibited.
# Columns in the same order as the rows.
_PAIR_TABLE = [
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # WJ
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # GL
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # B2
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # BA
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",  # BB
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # HY
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",  # CL
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",  # CP1
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",  # CP2
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # EX
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # IN
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP1
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP2
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",  # QU
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",  # IS
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # NU
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",  # PO
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",  # PR
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",  # SY
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # AL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # H2
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # H3
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # ID1
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # ID2
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",  # JL
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",  # JV
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",  # JT
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",  # HL
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",  # RI
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",  # ZWJ
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",  # EB
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",  # EM
]

_ASCII_CLASSES = (
    [_CM] * 9
    + [_BA, _LF, _BK, _BK, _CR]
    + [_CM] * 18
    # space ! " # $ % & ' ( ) * + , - . /
    + [_SP, _EX, _QU, _AL, _PR, _PO, _AL, _QU, _OP1, _CP1, _AL, _PR, _IS, _HY]
    + [_IS, _SY]
    + [_NU] * 10
    # : ; < = > ? @
    + [_IS, _IS, _AL, _AL, _AL, _EX, _AL]
    + [_AL] * 26
    # [ \ ] ^ _ `
    + [_OP1, _PR, _CP1, _AL, _AL, _AL]
    + [_AL] * 26
    # { | } ~ DEL
    + [_OP1, _BA, _CL, _AL, _CM]
)

# Characters whose class does not follow from their general category, as
# libunistring lists them (code points in hex, "a-b" for ranges).
_EXPLICIT_CLASSES = {
    _BK: "0085 2028 2029",
    _WJ: "2060 FEFF",
    _ZW: "200B",
    _ZWJ: "200D",
    _GL: "00A0 034F 035C-0362 0F08 0F0C 0F12 0FD9 0FDA 180E 2007 2011 202F",
    _B2: "2014 2E3A 2E3B",
    _BA: "00AD 058A 05BE 0964 0965 0E5A 0E5B 0F0B 0F34 0F7F 0F85 0FBE 0FBF"
    " 0FD2 104A 104B 1361 1400 1680 16EB-16ED 1735 1736 17D4 17D5 17D8 17DA"
    " 1804 1805 1B5A 1B5B 1B5D-1B60 1B7D 1B7E 1C3B-1C3F 1C7E 1C7F"
    " 2000-2006 2008-200A 2010 2012 2013 2027 2056 2058-205B 205D-205F"
    " 2CFA-2CFC 2CFF 2D70 2E0E-2E15 2E17 2E19 2E2A-2E2D 2E30 2E31 2E33"
    " 2E34 2E3C-2E3E 2E40 2E41 2E43-2E4A 2E4C 2E4E 2E4F 2E5D 3000 A4FE A4FF"
    " A60D A60F A6F3-A6F7 A8CE A8CF A92E A92F A9C7-A9C9 AA5D-AA5F AAF0 AAF1"
    " ABEB",
    _BB: "00B4 02C8 02CC 02DF 0C77 0C84 0F01-0F04 0F06 0F07 0F09 0F0A 0FD0"
    " 0FD1 0FD3 1806 1FFD A874 A875 A8FC",
    _ID1: "FFFC",  # contingent break (CB), resolved to ID
    _CL: "3001 3002 FE11 FE12 FE50 FE52 FF0C FF0E FF61 FF64",
    _EX: "05C6 061B 061D-061F 06D4 07F9 0F0D-0F11 0F14 1802 1803 1808 1809"
    " 1944 1945 2762 2763 2CF9 2CFE 2E2E 2E53 2E54 A60E A876 A877 FE15 FE16"
    " FE56 FE57 FF01 FF1F",
    _IN: "2024-2026 22EF FE19",
    _NS: "17D6 203C 203D 2047-2049 3005 301C 303B 303C 309B-309E 30A0"
    " 30FB-30FE A015 FE54 FE55 FF1A FF1B FF65 FF70 FF9E FF9F 1F679-1F67B",
    _OP1: "00A1 00BF 2E18",
    _QU: "275B-2760 2E00 2E01 2E06-2E08 2E0B 1F676-1F678",
    _IS: "037E 0589 060C 060D 07F8 2044 FE10 FE13 FE14",
    _NU: "066B 066C",
    _PO: "00A2 00B0 0609-060B 066A 09F2 09F3 09F9 0D79 2030-2037 20A7 20B6"
    " 20BB 20BE 20C0 2103 2109 A838 FDFC FE6A FF05 FFE0",
    _PR: "00B1 2116 2212 2213",
    _HL: "05D0-05EA 05EF-05F2 FB1D FB1F-FB28 FB2A-FB4F",
    _JL: "1100-115F A960-A97C",
    _JV: "1160-11A7 D7B0-D7C6",
    _JT: "11A8-11FF D7CB-D7FB",
    _RI: "1F1E6-1F1FF",
    _EM: "1F3FB-1F3FF",
    _EB: "261D 26F9 270A-270D 1F385 1F3C2-1F3C4 1F3C7 1F3CA-1F3CC 1F442 1F443"
    " 1F446-1F450 1F466-1F478 1F47C 1F481-1F483 1F485-1F487 1F48F 1F491"
    " 1F4AA 1F574 1F575 1F57A 1F590 1F595 1F596 1F645-1F647 1F64B-1F64F"
    " 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F90C 1F90F 1F918-1F91F 1F926"
    " 1F930-1F939 1F93C-1F93E 1F977 1F9B5 1F9B6 1F9B8 1F9B9 1F9BB"
    " 1F9CD-1F9CF 1F9D1-1F9DD 1FAC3-1FAC5 1FAF0-1FAF6",
    # Format characters that are letters, not combining marks, to UAX #14.
    _AL: "0600-0605 06DD 070F 0890 0891 08E2 2061-2064",
    # Combining marks although their category or script says otherwise.
    _CM: "1A7F 3035",
}

# Ideographic (ID) characters: CJK, kana, Yi, fullwidth forms, and the
# pictographic symbols that are not "ambiguous width" (those are alphabetic).
_IDEOGRAPHIC = (
    "2E80-2FFF 3000-3247 3250-33FF 3400-4DBF 4E00-9FFF A000-A4CF F900-FAD9 FE30-FE34"
    " FE45 FE46 FE49-FE4F FE51 FE58 FE5F-FE66 FE68 FE6B FF02 FF03 FF06 FF07"
    " FF0A FF0B FF0D FF0F FF10-FF19 FF1C-FF1E FF20 FF21-FF3A FF3C FF3E-FF40"
    " FF41-FF5A FF5C FF5E FF66 FF71-FF9D FFA0-FFBE FFC2-FFC7 FFCA-FFCF"
    " FFD2-FFD7 FFDA-FFDC FFE2-FFE4"
    " 231A 231B 23F0-23F3 2600-2603 2614 2615 2618 261A-261F 2639-263B 2668"
    " 267F 26BD-26C8 26CD 26CF-26D1 26D3 26D4 26D8 26D9 26DC 26DF-26E1 26EA"
    " 26F1-26F5 26F7-26FA 26FD-26FF 2700-2704 2708-270D 2764"
    " 17000-187F7 18800-18AFF 18D00-18D08 1B000-1B122 1B170-1B2FB 1F000-1F02B"
    " 1F030-1F093 1F0A0-1F0F5"
    " 1F10D-1F10F 1F16D-1F16F 1F1AD 1F200-1F248 1F250 1F251 1F260-1F265"
    " 1F300-1F39B 1F39E-1F3B4 1F3B7-1F3BB 1F3BD-1F3FA 1F400-1F49F 1F4A1"
    " 1F4A3 1F4A5-1F4AE 1F4B0 1F4B3-1F4FF 1F507-1F516 1F525-1F531"
    " 1F54A-1F5D3 1F5DC-1F5F3 1F5FA-1F64F 1F680-1F6DF 1F6E0-1F6EC"
    " 1F6F0-1F6FC 1F7D5-1F7D8 1F7E0-1F7EB 1F7F0 1F8B0 1F8B1 1F90C-1F9FF"
    " 1FA60-1FA6D 1FA70-1FA74 1FA78-1FA7C 1FA80-1FA86 1FA90-1FAAC"
    " 1FAB0-1FABA 1FAC0-1FAC2 1FAD0-1FAD9 1FAE0-1FAE7 20000-2FFFD"
    " 30000-3FFFD"
)

# Scripts written without spaces (Thai, Lao, Myanmar, Khmer, ...): libunistring
# does not break their letters and marks at all, it treats them as letters.
_COMPLEX_CONTEXT = "0E00-0EFF 1000-109F 1780-17FF 1950-19DF 1A20-1AAF A9E0-A9EF A9FA-A9FE AA60-AADF"


def _parse_ranges(spec: str) -> list[tuple[int, int]]:
    """Turn "0041 0061-007A" into [(0x41, 0x41), (0x61, 0x7A)]."""
    ranges = []
    for item in spec.split():
        first, _, last = item.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


def _in_ranges(cp: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(first <= cp <= last for first, last in ranges)


_EXPLICIT: dict[int, int] = {
    cp: cls
    for cls, spec in _EXPLICIT_CLASSES.items()
    for first, last in _parse_ranges(spec)
    for cp in range(first, last + 1)
}
_IDEOGRAPHIC_RANGES = _parse_ranges(_IDEOGRAPHIC)
_COMPLEX_CONTEXT_RANGES = _parse_ranges(_COMPLEX_CONTEXT)
_UNASSIGNED_IDEOGRAPHIC = _parse_ranges("3400-4DBF 4E00-9FFF F900-FAFF 20000-2FFFD 30000-3FFFD")


@lru_cache(maxsize=8192)
def _line_break_class(ch: str) -> int:
    """The UAX #14 class libunistring gives ``ch`` (resolved for UTF-8)."""
    cp = ord(ch)
    if cp < 0x80:
        return _ASCII_CLASSES[cp]
    category = unicodedata.category(ch)
    if category == "Cn":  # unassigned: ideographic in the CJK and emoji areas
        if 0x20BC <= cp <= 0x20CF:
            return _PR  # reserved for currency signs
        if _in_ranges(cp, _UNASSIGNED_IDEOGRAPHIC):
            return _ID1
        if 0x1F000 <= cp <= 0x1FAFF or 0x1FC00 <= cp <= 0x1FFFD:
            return _ID2
        return _AL
    cls = _EXPLICIT.get(cp)
    if cls is not None:
        return cls
    if 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables, LV or LVT
        return _H2 if (cp - 0xAC00) % 28 == 0 else _H3
    if category in ("Cf", "Lm", "Lo", "Mc", "Mn") and _in_ranges(cp, _COMPLEX_CONTEXT_RANGES):
        return _AL
    if category[0] == "M" or category in ("Cc", "Cf"):
        return _CM
    if category == "Ps":
        wide = unicodedata.east_asian_width(ch) in ("W", "F", "H")
        return _OP2 if wide else _OP1
    if category == "Pe":
        return _CL
    if category in ("Pi", "Pf"):
        return _QU
    name = unicodedata.name(ch, "")
    if "HIRAGANA LETTER SMALL " in name or "KATAKANA LETTER SMALL " in name:
        return _NS
    if _in_ranges(cp, _IDEOGRAPHIC_RANGES):
        return _ID1
    if category == "Nd":
        return _NU
    if category == "Sc":
        return _PR
    return _AL


# Break values, as in libunistring's unilbrk.h.
_UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3

# The pair table as break values: without and with spaces in between.
_BREAK_NO_SPACE = [[POSSIBLE if r == "D" else PROHIBITED for r in row] for row in _PAIR_TABLE]
_BREAK_AFTER_SPACE = [[PROHIBITED if r == "P" else POSSIBLE for r in row] for row in _PAIR_TABLE]

# Classes that need none of the special rules below (ZWJ, RI, EB, EM do).
_PLAIN_CLASSES = frozenset(range(_ZWJ)) - {_RI}


def possible_linebreaks(text: str) -> list[int]:
    """Break value before each character of ``text`` (UAX #14, libunistring).

    A port of libunistring's ``u8_possible_linebreaks_loop``: the pair table
    plus its handling of spaces, combining marks, zero-width (non-)joiners,
    regional indicators and Hebrew hyphenation.
    """
    result = []
    append = result.append
    prev = last = _BK  # class of the previous / of the last non-space char
    seen_space = False
    ri_count = 0
    for cls in map(_line_break_class, text):
        if cls in _PLAIN_CLASSES and last < _BK and prev != _ZWJ and prev != _HL_BA:
            # The common case, decided by the pair table alone.
            table = _BREAK_AFTER_SPACE if seen_space else _BREAK_NO_SPACE
            append(table[last][cls])
            last, seen_space = cls, False
            prev = _HL_BA if prev == _HL and cls in (_HY, _BA) else cls
            ri_count = 0
            continue
        if cls in (_BK, _CR, _LF):
            brk = MANDATORY
            prev, last, seen_space = cls, _BK, False
        else:
            if cls == _SP:
                brk = PROHIBITED
                seen_space = True
            elif cls == _ZW:
                brk = PROHIBITED
                last, seen_space = _ZW, False
            elif cls in (_CM, _ZWJ):
                if last == _BK:
                    brk = PROHIBITED
                    last, seen_space = _AL, False
                elif last == _ZW or seen_space:
                    brk = POSSIBLE
                    last, seen_space = _AL, False
                else:
                    brk = PROHIBITED
            else:
                if last == _BK:
                    brk = PROHIBITED
                elif last == _ZW:
                    brk = POSSIBLE
                elif prev == _ZWJ:
                    brk = PROHIBITED
                elif last == _RI and cls == _RI:
                    even = seen_space or ri_count % 2 == 0
                    brk = POSSIBLE if even else PROHIBITED
                elif prev == _HL_BA:
                    brk = PROHIBITED
                else:
                    table = _BREAK_AFTER_SPACE if seen_space else _BREAK_NO_SPACE
                    brk = table[last][cls]
                last, seen_space = cls, False
            hebrew_hyphen = prev == _HL and cls in (_HY, _BA)
            prev = _HL_BA if hebrew_hyphen else cls
        ri_count = ri_count + 1 if cls == _RI else 0
        append(brk)
    return result


_UNASSIGNED_WIDE = _parse_ranges(
    "2E80-303E 3040-A4CF F900-FAFF FE10-FE1F FE30-FE6F FF00-FF60 1F200-1F2FF 20000-3FFFF"
)
# Marks that libunistring counts as one column although they are non-spacing.
_SPACING_MARKS = frozenset((0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F))


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Columns ``ch`` occupies on a terminal, as libunistring's ``uc_width``."""
    cp = ord(ch)
    category = unicodedata.category(ch)
    if category == "Cc":
        return 0  # control characters are not counted
    if category == "Cn":  # unassigned: wide in the CJK blocks only
        return 2 if _in_ranges(cp, _UNASSIGNED_WIDE) else 1
    if cp in _SPACING_MARKS:
        return 1
    if (
        category in ("Mn", "Me", "Cf")
        or 0x1160 <= cp <= 0x11FF  # conjoining Hangul vowels and finals
        or 0xD7B0 <= cp <= 0xD7FF
        or cp == 0x200B
    ):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width_linebreaks(
    text: str, width: int, start_column: int, overrides: Sequence[int]
) -> list[bool]:
    """Where to break ``text`` so lines stay within ``width`` columns.

    A port of libunistring's ``u8_width_linebreaks``, starting in column
    ``start_column``; ``overrides`` replaces the break value of a character
    where it is not ``_UNDEFINED``. Returns, for each character, whether a
    line break goes before it.
    """
    possible = [
        override if override != _UNDEFINED else brk
        for brk, override in zip(possible_linebreaks(text), overrides, strict=True)
    ]
    return fill(possible, list(map(char_width, text)), width, start_column)


def fill(possible: Sequence[int], widths: Sequence[int], width: int, column: int) -> list[bool]:
    """The greedy fill of ``u8_width_linebreaks``, given the break values.

    Keeps each unbreakable piece, with its trailing spaces, on one line, and
    breaks before a piece that would end past ``width``; a piece wider than
    a line overflows it.
    """
    breaks = [False] * len(possible)
    last_break = -1
    piece_width = 0
    for i, (brk, char_width) in enumerate(zip(possible, widths, strict=True)):
        if brk == PROHIBITED:
            piece_width += char_width
            continue
        if last_break >= 0 and column + piece_width > width:
            breaks[last_break] = True
            column = 0
        if brk == MANDATORY:
            last_break = -1
            column = piece_width = 0
        else:
            last_break = i
            column += piece_width
            piece_width = char_width
    if last_break >= 0 and column + piece_width > width:
        breaks[last_break] = True
    return breaks
