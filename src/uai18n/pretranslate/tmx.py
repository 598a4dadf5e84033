"""TMX 1.4b translation memory: read other tools' memories, write ours for them.

Reading is as guarded as the glossary's TBX: no DTD, no entities, no network,
and every problem is a :class:`UserError` naming the file and line, because a
memory that half-loads silently pretranslates less than people think it does.
Writing goes through lxml (never string-built XML) and gives the same bytes for
the same units, so exported memories diff cleanly and builds stay reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from uai18n.errors import UserError
from uai18n.locales import validate_language
from uai18n.safexml import parse_untrusted

#: ``srclang`` meaning "any tuv may be the source".
ALL_LANGUAGES = "*all*"

#: The ``<prop type>`` that carries :attr:`TranslationUnit.origin`.
ORIGIN_PROP = "x-origin"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# gettext @modifiers that have a BCP 47 script subtag.
_MODIFIER_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl"}


@dataclass(frozen=True)
class TranslationUnit:
    """One source text and one translation of it, with where it came from.

    ``origin`` is free text for people ("memory.tmx:12", "po/fr/ua.po:40").
    """

    source_lang: str
    source: str
    target_lang: str
    target: str
    origin: str = ""


# --- reading -------------------------------------------------------------------------


def read_tmx(data: bytes, where: str, source_language: str) -> list[TranslationUnit]:
    """The units of a TMX file (1.1 to 1.4b) that translate from ``source_language``.

    A ``<tu>`` gives one unit per tuv in another language, paired with its tuv
    in ``source_language``; a tu without one is skipped, and so is a tu whose
    ``srclang`` (its own, else the header's) names another language, since that
    memory translates the other way. ``*all*`` lets any tuv be the source.
    Segment text is the ``<seg>``'s whole text, inline codes (``<bpt>``, ``<ept>``,
    ``<ph>``, ``<it>``, ``<ut>``) included, because our msgids carry their tags
    (``<b>``) as literal text. A unit's origin is its ``x-origin`` prop, if it
    has one, else ``where:line``.
    """
    source_language = validate_language(source_language)
    root = parse_untrusted(data, where)
    if not isinstance(root.tag, str) or root.tag != "tmx":
        raise UserError(f"root element <{_name(root)}>, expected <tmx>", where, root.sourceline)
    header = _child(root, "header")
    if header is None:
        raise UserError("no <header> element", where, root.sourceline)
    body = _child(root, "body")
    if body is None:
        raise UserError("no <body> element", where, root.sourceline)
    default_srclang = _srclang(header, where)
    units: list[TranslationUnit] = []
    for tu in _children(body, "tu"):
        srclang = _srclang(tu, where) if tu.get("srclang") else default_srclang
        units += _units(tu, srclang, source_language, where)
    return units


def _srclang(element: etree._Element, where: str) -> str:
    """The element's ``srclang``, normalized; ``*all*`` (or none at all) means any."""
    value = element.get("srclang")
    if not value or value.strip() == ALL_LANGUAGES:
        return ALL_LANGUAGES
    return _language(value.strip(), where, element.sourceline)


def _units(
    tu: etree._Element, srclang: str, source_language: str, where: str
) -> Iterator[TranslationUnit]:
    """A tu's units; every tuv is checked even when the tu is skipped."""
    variants = [_variant(tuv, where) for tuv in _children(tu, "tuv")]
    if srclang not in (ALL_LANGUAGES, source_language):
        return
    sources = [text for lang, text in variants if lang == source_language]
    if not sources:
        return
    prop = next((p for p in _children(tu, "prop") if p.get("type") == ORIGIN_PROP), None)
    origin = (prop.text or "") if prop is not None else f"{where}:{tu.sourceline}"
    for lang, text in variants:
        if lang != source_language:
            yield TranslationUnit(source_language, sources[0], lang, text, origin)


def _variant(tuv: etree._Element, where: str) -> tuple[str, str]:
    """A ``<tuv>``'s language and its segment's full text (inline codes included)."""
    code = tuv.get(_XML_LANG) or tuv.get("lang")
    if not code:
        raise UserError("<tuv> without xml:lang", where, tuv.sourceline)
    lang = _language(code, where, tuv.sourceline)
    seg = _child(tuv, "seg")
    if seg is None:
        raise UserError("<tuv> without <seg>", where, tuv.sourceline)
    return lang, "".join(seg.itertext())


def _language(code: str, where: str, line: int | None) -> str:
    try:
        return validate_language(code)
    except UserError as error:
        raise UserError(error.message, where, line) from None


def _name(element: etree._Element) -> str:
    return etree.QName(element).text if isinstance(element.tag, str) else str(element.tag)


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    return (child for child in element if child.tag == tag)


def _child(element: etree._Element, tag: str) -> etree._Element | None:
    return next(_children(element, tag), None)


# --- writing -------------------------------------------------------------------------


def write_tmx(units: Iterable[TranslationUnit], source_language: str, tool_version: str) -> bytes:
    """TMX 1.4b bytes, one ``<tu>`` per unit in the order given, same input same bytes.

    There is no creation date (it would be the only thing that changes).
    Languages are written the BCP 47 way (``pt_BR`` -> ``pt-BR``,
    ``sr@latin`` -> ``sr-Latn``). Every tu carries its origin as an
    ``x-origin`` prop, empty when unknown, so that reading gives back the units.
    """
    source_language = validate_language(source_language)
    _check_xml_text(tool_version, "creationtoolversion")
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="uai18n",
        creationtoolversion=tool_version,
        datatype="plaintext",
        segtype="sentence",
        adminlang="en",
        srclang=_bcp47(source_language, "source language"),
        **{"o-tmf": "PO"},
    )
    body = etree.SubElement(root, "body")
    for number, unit in enumerate(units, start=1):
        label = _label(number, unit)
        for field in ("source", "target", "origin"):
            _check_xml_text(getattr(unit, field), f"{label}: {field}")
        source_lang = _unit_language(unit.source_lang, label)
        if source_lang != source_language:
            raise UserError(
                f"{label}: source language {unit.source_lang!r}, expected {source_language!r}"
            )
        tu = etree.SubElement(body, "tu")
        etree.SubElement(tu, "prop", type=ORIGIN_PROP).text = unit.origin
        target_lang = _unit_language(unit.target_lang, label)
        for lang, text in ((source_lang, unit.source), (target_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {_XML_LANG: _bcp47(lang, label)})
            etree.SubElement(tuv, "seg").text = text
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _label(number: int, unit: TranslationUnit) -> str:
    """``unit 3 (po/fr/ua.po:12)``: how errors name a unit (odd origins quoted)."""
    if not unit.origin:
        return f"unit {number}"
    shown = unit.origin if unit.origin.isprintable() else repr(unit.origin)
    return f"unit {number} ({shown})"


def _unit_language(code: str, label: str) -> str:
    try:
        return validate_language(code)
    except UserError as error:
        raise UserError(f"{label}: {error.message}") from None


def _bcp47(code: str, what: str) -> str:
    """A gettext code the BCP 47 way: ``pt_BR`` -> ``pt-BR``, ``sr@latin`` -> ``sr-Latn``."""
    base, _, modifier = code.partition("@")
    parts = base.split("_")
    if modifier:
        script = _MODIFIER_SCRIPTS.get(modifier)
        if script is None:
            raise UserError(f"{what}: no BCP 47 spelling for language code {code!r}")
        parts.insert(1, script)
    return "-".join(parts)


def _check_xml_text(text: str, what: str) -> None:
    """Refuse what XML cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF)."""
    bad = _NOT_XML.search(text)
    if bad:
        raise UserError(f"{what}: character U+{ord(bad.group()):04X} cannot be written to TMX")
