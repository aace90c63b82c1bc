"""Keep the translation catalogues in step with the code.

    python scripts/i18n.py extract   # templates + web code -> locales/messages.pot,
                                     # then merge into locales/{nl,en}/LC_MESSAGES/messages.po

English is the source language: the ``en`` catalogue is filled with the
source strings. Dutch strings are translated by hand in the ``nl`` catalogue;
``tests/unit/web/test_i18n.py`` fails while any of them is missing or fuzzy.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = ["-k", "tr:3", "-k", "ngettext:1,2", "-k", "lazy:1"]


def extract() -> None:
    pot = LOCALES / "messages.pot"
    subprocess.run(  # noqa: S603 (fixed argument list, our own interpreter)
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            *KEYWORDS,
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    with pot.open("rb") as f:
        template = read_po(f)
    for lang in ("nl", "en"):
        po_path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as f:
                catalog = read_po(f, locale=lang)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, project="Expertisewijzer")
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":
            for message in catalog:
                # A plural's string is a tuple, truthy even when every form is empty.
                if message.id and not any(
                    message.string if isinstance(message.string, tuple) else [message.string]
                ):
                    message.string = message.id
        with po_path.open("wb") as f:
            write_po(
                f,
                catalog,
                omit_header=False,
                no_location=True,
                sort_output=True,
                ignore_obsolete=True,
                width=100,
            )
        print(f"updated {po_path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["extract"]:
        sys.exit(__doc__)
    extract()
