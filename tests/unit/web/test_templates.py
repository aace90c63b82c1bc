"""Every template compiles in both languages' environments, and names only texts the
translations know: a template that does not parse fails here, not on the one page
that uses it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from config.settings import PROJECT_ROOT
from web.i18n import LANGS, make_environments

ROOT = PROJECT_ROOT
TEMPLATES = sorted(
    str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").rglob("*.html")
)


@pytest.fixture(scope="module")
def envs() -> dict[str, jinja2.Environment]:
    return make_environments(ROOT / "templates", ROOT / "locales")


def test_every_template_is_listed() -> None:
    assert len(TEMPLATES) > 30
    assert "condition.html" in TEMPLATES
    assert "editor/dashboard.html" in TEMPLATES


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_compiles(envs: dict[str, jinja2.Environment], lang: str, name: str) -> None:
    envs[lang].get_template(name)  # parses and compiles; raises TemplateSyntaxError


def test_a_broken_template_is_caught(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("{% if x %}never closed")
    env = make_environments(tmp_path, ROOT / "locales")["nl"]
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.get_template("broken.html")
