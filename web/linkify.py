"""Web and e-mail addresses inside catalogue texts become links (the rest is escaped)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# An http(s) address up to the next space or closing bracket, without trailing punctuation;
# a www. address; or an e-mail address.
_ADDRESS = re.compile(
    r"(?P<url>https?://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?])"
    r"|(?P<www>\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>()\[\]\"']*[^\s<>()\[\]\"'.,;:!?])?)"
    r"|(?P<mail>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)",
    re.I,
)


def linkify(text: str | None) -> Markup:
    """``text`` escaped, with every address in it a link (external ones marked as such)."""
    if not text:
        return Markup("")
    out = Markup("")
    last = 0
    for m in _ADDRESS.finditer(text):
        out += escape(text[last : m.start()])
        found = m.group(0)
        if m.group("mail"):
            out += Markup('<a href="mailto:{}">{}</a>').format(found, found)
        else:
            href = found if m.group("url") else f"https://{found}"
            out += Markup('<a href="{}" rel="external noopener">{}</a>').format(href, found)
        last = m.end()
    return out + escape(text[last:])
