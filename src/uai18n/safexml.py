"""Parse XML we did not write (TBX glossaries, TMX memories) without risk.

No DTD is loaded, no entity is resolved, nothing is fetched from the network
and huge trees are refused. Entity declarations and references are refused
outright: these formats have no use for them, and an external entity is how
XXE attacks start (a local file's content read into a term, a URL fetched).
Every problem is a :class:`UserError` naming the file and line.
"""

from __future__ import annotations

from lxml import etree

from uai18n.errors import UserError


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted(data: bytes, where: str) -> etree._Element:
    """The root element of ``data``, or a UserError ``where:line: ...``."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        message = error.msg.split(", line ")[0] if error.msg else "syntax error"
        raise UserError(f"not well-formed XML: {message}", where, error.lineno or None) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            kind = "external entity" if entity.system_url else "entity"
            line = _line_of(data, b"<!ENTITY", entity.name)
            raise UserError(f"{kind} {entity.name!r} declared: refused", where, line)
    for reference in root.iter(etree.Entity):
        # Only possible with an external DTD, which is never loaded.
        raise UserError(f"entity reference &{reference.name}; refused", where, reference.sourceline)
    return root


def _line_of(data: bytes, marker: bytes, name: str) -> int | None:
    at = data.find(marker + b" " + name.encode())
    if at < 0:
        at = data.find(marker + b" % " + name.encode())
    if at < 0:
        at = data.find(marker)
    return data[:at].count(b"\n") + 1 if at >= 0 else None
