"""The translation catalogues are complete for every UI string, in nl and en."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from config.settings import PROJECT_ROOT

ROOT = PROJECT_ROOT


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory):
    """Extract the strings from the code as it is now (not a stale .pot)."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "tr:3",
            "-k",
            "ngettext:1,2",
            "-k",
            "lazy:1",
            "--no-location",
            "-o",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with out.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_catalogue_complete(template, lang: str) -> None:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = (
            ()
            if translated is None
            else (
                translated.string if isinstance(translated.string, tuple) else (translated.string,)
            )
        )
        if translated is None or not all(strings) or translated.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert missing == [], f"untranslated in {lang}: {missing[:20]}"


def test_dutch_is_really_translated() -> None:
    with (ROOT / "locales" / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="nl")
    same = [
        m.id
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string == m.id and len(m.id) > 12
    ]
    # Long sentences identical in Dutch and English are a sign of a missed translation.
    assert same == []


def test_placeholders_survive_translation() -> None:
    import re

    with (ROOT / "locales" / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="nl")
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)s", " ".join(ids)))
        for s in strings:
            assert set(re.findall(r"%\(\w+\)s", s)) == wanted, m.id


def test_template_gettext_translates_formats_and_escapes() -> None:
    """``_()`` and ``{% trans %}`` as Jinja's new-style gettext: translated, always a
    format string (``%%`` is one ``%``), the variables escaped, the text itself not."""
    from web.i18n import load_translations, make_environments

    envs = make_environments(ROOT / "templates", ROOT / "locales")
    source = (
        '{{ _("Disease") }}|{{ _("Where to find expertise for %(name)s in the Netherlands.",'
        ' name=x) }}|{{ _("100%% sure") }}|{% trans %}100% sure{% endtrans %}|'
        "{% trans name=x %}a {{ name }}{% endtrans %}"
    )
    nl = load_translations(ROOT / "locales", "nl")
    rendered = envs["nl"].from_string(source).render(x="<b>&")
    expected_sentence = nl.gettext("Where to find expertise for %(name)s in the Netherlands.") % {
        "name": "&lt;b&gt;&amp;"
    }
    assert (
        rendered
        == f"{nl.gettext('Disease')}|{expected_sentence}|100% sure|100% sure|a &lt;b&gt;&amp;"
    )
    assert nl.gettext("Disease") != "Disease"  # really translated
    assert envs["en"].from_string(source).render(x="x").startswith("Disease|Where to find")
