"""Safe XML reading that remembers each element's line and explains failures.

Orphadata files are ISO-8859-1 or UTF-8. We parse with expat through SAX (no
external entities, no DTD fetching), keep the line of every element so problems
can say "line N", and turn parse errors into :class:`InputRejected` with the
file, line, column and a plain reason (truncated file, wrong encoding
declaration, ...).
"""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from directory.errors import InputRejected
from directory.reports import Problem

_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")


@dataclass
class XmlDocument:
    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)  # id(element) -> line

    def line(self, element: ET.Element) -> int:
        return self.lines.get(id(element), 0)


class _Builder(xml.sax.handler.ContentHandler):
    def __init__(self, on_item: Callable[[ET.Element, int], None] | None, item_depth: int) -> None:
        super().__init__()
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.depth = 0
        self.on_item = on_item
        self.item_depth = item_depth
        self.stack: list[ET.Element] = []
        self._locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self._locator = locator

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        el = self.builder.start(name, dict(attrs.items()))
        line = (self._locator.getLineNumber() or 0) if self._locator else 0
        self.lines[id(el)] = line
        self.stack.append(el)
        self.depth += 1

    def endElement(self, name: str) -> None:
        el = self.builder.end(name)
        self.depth -= 1
        self.stack.pop()
        if self.on_item is not None and self.depth == self.item_depth - 1:
            # Streaming mode: hand the finished item over and drop it from the tree.
            self.on_item(el, self.lines.pop(id(el), 0))
            if self.stack:
                self.stack[-1].remove(el)

    def characters(self, content: str) -> None:
        self.builder.data(content)


def declared_encoding(data: bytes) -> str | None:
    m = _DECL.match(data[:200])
    return m.group(1).decode("ascii").lower() if m else None


def _encoding_problem(data: bytes, name: str) -> Problem | None:
    """Detect a declaration that does not match the bytes, with the first bad line."""
    declared = declared_encoding(data) or "utf-8"
    if declared in ("iso-8859-1", "latin-1", "latin1", "iso8859-1"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        m = re.search(r"[^\x00-\x7f]", text)
        if m is None:
            return None
        line = text.count("\n", 0, m.start()) + 1
        return Problem(
            name,
            f"line {line}",
            "the file declares ISO-8859-1 but its bytes are UTF-8 "
            f"(e.g. {m.group(0)!r}); fix the encoding declaration",
            "encoding",
        )
    if declared in ("utf-8", "utf8"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            return Problem(
                name,
                f"line {line}",
                f"the file declares UTF-8 but byte 0x{data[exc.start]:02x} is not valid UTF-8 "
                "(is it ISO-8859-1? fix the encoding declaration)",
                "encoding",
            )
    return None


def parse_xml(
    data: bytes,
    name: str,
    *,
    on_item: Callable[[ET.Element, int], None] | None = None,
    item_depth: int = 0,
) -> XmlDocument:
    """Parse ``data``; with ``on_item``, stream elements at ``item_depth`` (root = 1)."""
    if not data.strip():
        raise InputRejected([Problem(name, "line 1", "the file is empty")], f"{name}: empty")
    enc = _encoding_problem(data, name)
    if enc is not None:
        raise InputRejected([enc], f"{name}: wrong encoding declaration")
    handler = _Builder(on_item, item_depth)
    try:
        _parser(handler).parse(io.BytesIO(data))
    except xml.sax.SAXParseException as exc:
        reason = exc.getMessage()
        if "no element found" in reason or "unclosed token" in reason:
            reason += " (the file is truncated or incomplete)"
        raise InputRejected(
            [
                Problem(
                    name,
                    f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}",
                    f"not well-formed XML: {reason}",
                )
            ],
            f"{name}: malformed XML",
        ) from exc
    root = handler.builder.close()
    return XmlDocument(root=root, lines=handler.lines)


def _parser(handler: xml.sax.handler.ContentHandler) -> xml.sax.xmlreader.XMLReader:
    # External entities are switched off; expat >= 2.4 limits entity expansion.
    parser = xml.sax.make_parser()  # noqa: S317
    parser.setFeature(xml.sax.handler.feature_namespaces, False)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(handler)
    return parser


class _RootFound(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


class _RootOnly(xml.sax.handler.ContentHandler):
    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        raise _RootFound(name)


def root_tag(data: bytes, name: str) -> str:
    """The name of the root element, read without building the document.

    To say what a file is not, its first element is enough; building the whole tree
    of a 16 MB file of empty elements took 693 MB (security review D5).
    """
    if not data.strip():
        raise InputRejected([Problem(name, "line 1", "the file is empty")], f"{name}: empty")
    try:
        _parser(_RootOnly()).parse(io.BytesIO(data))
    except _RootFound as found:
        return found.tag
    except xml.sax.SAXParseException as exc:
        raise InputRejected(
            [
                Problem(
                    name,
                    f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}",
                    f"not well-formed XML: {exc.getMessage()}",
                )
            ],
            f"{name}: malformed XML",
        ) from exc
    raise InputRejected([Problem(name, "file", "no XML element found")], f"{name}: not XML")


def text_of(el: ET.Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    t = el.text.strip()
    return t or None
