"""An XML parser for the parts we read ourselves: expat, one pass, no DTD.

expat reads each byte once, whatever the markup (unclosed tags, a million attributes), so a pass
is linear in the part; element names are taken without their prefix, so `x:row` is a row, as
readers take it. A package part never has a DOCTYPE: one is refused, which rules out entity
tricks (billion laughs, external entities) before they start.
"""

from collections.abc import Callable
from xml.parsers import expat


class BadXml(Exception):
    """The part is not well-formed XML, or declares a DOCTYPE."""


def local(name: str) -> str:
    return name.rpartition(":")[2]


def attr(attrs: dict[str, str], wanted: str) -> str | None:
    """An attribute by its local name (`r:id` or `id` for 'id')."""
    if wanted in attrs:
        return attrs[wanted]
    return next((v for k, v in attrs.items() if local(k) == wanted), None)


def _no_doctype(*_args) -> None:
    raise BadXml("DOCTYPE")


def parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> "expat.XMLParserType":
    """A fresh expat parser calling start(local name, attrs), end(local name) and text(data)."""
    p = expat.ParserCreate()
    p.StartDoctypeDeclHandler = _no_doctype
    p.EntityDeclHandler = _no_doctype
    p.ExternalEntityRefHandler = _no_doctype
    p.buffer_text = True
    p.StartElementHandler = lambda name, attrs: start(local(name), attrs)
    if end is not None:
        p.EndElementHandler = lambda name: end(local(name))
    if text is not None:
        p.CharacterDataHandler = text
    return p


def feed(p: "expat.XMLParserType", data: bytes, final: bool = False) -> None:
    """Parse more of the part; BadXml if it is not well-formed."""
    try:
        p.Parse(data, final)
    except expat.ExpatError as exc:
        raise BadXml(str(exc)) from exc
