"""The self-hosted map: one projection for outline and points, and a list that says the same."""

from __future__ import annotations

import math
import re

import jinja2

from config.settings import PROJECT_ROOT
from web.i18n import make_environments
from web.map import HEIGHT, WIDTH, Site, project, site_map

ROOT = PROJECT_ROOT


def test_projection_keeps_geography() -> None:
    groningen = project(53.2194, 6.5665)
    maastricht = project(50.8514, 5.6910)
    den_helder = project(52.9563, 4.7601)
    # North is up, east is right, and everything falls inside the drawing.
    assert groningen[1] < maastricht[1]
    assert groningen[0] > den_helder[0]
    for x, y in (groningen, maastricht, den_helder):
        assert 0 < x < WIDTH
        assert 0 < y < HEIGHT
    # Distances keep their proportions (within a few per cent): Groningen-Maastricht is
    # about 2.3 times Groningen-Den Helder.
    ratio = math.dist(groningen, maastricht) / math.dist(groningen, den_helder)
    assert 2.1 < ratio < 2.5


def test_outline_is_drawn_in_the_same_coordinate_system() -> None:
    svg = (ROOT / "static" / "map" / "nl.svg").read_text()
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    assert "GeoNames" in svg  # attribution travels with the file
    coords = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", svg)]
    assert len(coords) > 200
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    # The outline spans the country: Groningen's and Maastricht's points lie within its box.
    for x, y in (project(53.2194, 6.5665), project(50.8514, 5.6910)):
        assert min(xs) < x < max(xs)
        assert min(ys) < y < max(ys)


def test_site_map_numbers_points_and_keeps_unplaceable_sites_listed() -> None:
    m = site_map(
        [
            Site("UMCG", 53.2222, 6.5756, "Groningen", "/nl/instelling/umcg"),
            Site("Somewhere abroad", 48.85, 2.35),
            Site("Radboudumc", 51.8240, 5.8600, "Nijmegen"),
            Site("Nowhere", float("nan"), 5.0),
        ]
    )
    assert [p.number for p in m.points] == [1, 2]
    assert [p.site.name for p in m.points] == ["UMCG", "Radboudumc"]
    assert [s.name for s in m.unplaced] == ["Somewhere abroad", "Nowhere"]


def test_macro_draws_points_and_the_same_list() -> None:
    env = make_environments(ROOT / "templates", ROOT / "locales")["en"]
    template = env.from_string(
        '{% from "macros/map.html" import site_map %}{{ site_map(m, "sites") }}'
    )
    m = site_map(
        [
            Site("UMCG", 53.2222, 6.5756, "Groningen", "/en/institution/umcg"),
            Site("Hôpital <x>", 51.8240, 5.8600, "Nijmegen", None, "fr"),
        ]
    )
    html = template.render(m=m)
    assert html.count("<circle") == 2
    assert 'role="img"' in html
    assert "Map of the Netherlands with 2 locations" in html
    assert '<li value="1"><a href="/en/institution/umcg">UMCG</a>, Groningen</li>' in html
    assert '<span lang="fr">Hôpital &lt;x&gt;</span>, Nijmegen' in html
    assert 'href="/static/map/nl.svg"' in html
    assert "GeoNames" in html
    empty = template.render(m=site_map([]))
    assert "<figure" not in empty


def test_map_macro_needs_no_request_context() -> None:
    env = make_environments(ROOT / "templates", ROOT / "locales")["nl"]
    assert isinstance(env.get_template("macros/map.html"), jinja2.Template)


def test_the_visitor_is_drawn_apart_and_only_when_on_the_map() -> None:
    here = Site("3584 (Utrecht)", 52.08, 5.18)
    m = site_map([Site("UMC Utrecht", 52.09, 5.18)], origin=here)
    assert m.origin is not None
    assert m.origin.number == 0
    assert (m.origin.x, m.origin.y) == project(52.08, 5.18)
    assert [p.number for p in m.points] == [1]
    assert site_map([], origin=Site("Paris", 48.85, 2.35)).origin is None
