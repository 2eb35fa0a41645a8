"""The geographic view without a database: the 16 NUTS-3 outlines of the bundled
extract, organisations grouped where dense, cross-border arcs only, escaped names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from test_maps_web import nuts3_rows

from graphsvc.geo import NUTS3_CODES, Projector, build_geo
from graphsvc.maps.i18n import NULL

SVG = "{http://www.w3.org/2000/svg}"


def orgs() -> list[dict[str, object]]:
    return [
        {"id": "a", "name": "<script>alert(1)</script>", "territory": "ES21", "lat": 43.26, "lon": -2.93},
        {"id": "b", "name": "B", "territory": "ES21", "lat": 43.2601, "lon": -2.9301},  # next to a
        {"id": "c", "name": "C", "territory": "FRI", "lat": 44.84, "lon": -0.58},
        {"id": "d", "name": "D", "territory": "ES22", "lat": 42.81, "lon": -1.64},
        {"id": "e", "name": "E", "territory": "FRI", "nuts3": "FRI15"},  # no coordinates
        {"id": "f", "name": "F", "territory": "FRI", "nuts3": "FRI12", "lat": 48.85, "lon": 2.35},  # Paris
        {"id": "g", "name": "G", "territory": "ES21"},  # nowhere to put it
    ]


def test_svg_holds_the_16_regions_and_parses() -> None:
    g = build_geo(nuts3_rows(), orgs(), [], lang="en", tr=NULL)
    assert sorted(g.regions) == sorted(NUTS3_CODES) and g.missing == []
    root = ET.fromstring(g.svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class", "").startswith("region")]
    assert sorted(p.get("data-code") for p in paths) == sorted(NUTS3_CODES)
    assert all(len(p.get("d", "")) > 50 for p in paths)


def test_organisations_grouped_placed_and_escaped() -> None:
    g = build_geo(nuts3_rows(), orgs(), [], lang="en", tr=NULL, org_url=lambda i: f"/org/{i}")
    assert g.placed == 6 and g.organisations == 7, "g has neither coordinates nor a region"
    assert [sorted(m["id"] for m in members) for members in g.groups.values()] == [["a", "b"]]
    assert "<script>alert" not in g.svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in g.svg
    root = ET.fromstring(g.svg)
    width, height = (float(x) for x in root.get("viewBox", "").split()[2:])
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cx", -1)) <= width and 0 <= float(circle.get("cy", -1)) <= height
    links = re.findall(r'<a class="org" href="([^"]+)"', g.svg)
    assert sorted(links) == ["/org/c", "/org/d", "/org/e", "/org/f"]


def test_only_cross_border_ties_become_arcs() -> None:
    ties = [("a", "c", 3), ("a", "b", 5), ("d", "c", 1), ("a", "d", 2), ("c", "e", 4)]
    g = build_geo(nuts3_rows(), orgs(), ties, lang="en", tr=NULL)
    assert g.ties == 3, "a-b (same territory) and c-e (both FRI) are not cross-border"
    assert g.arcs == 3
    widths = sorted(float(w) for w in re.findall(r'class="arc" d="[^"]+" stroke="#7b2cbf" stroke-width="([0-9.]+)"', g.svg))
    assert widths[0] < widths[-1]


def test_without_outlines_it_still_draws_and_says_what_is_missing() -> None:
    g = build_geo([], orgs(), [], lang="en", tr=NULL)
    assert g.regions == [] and sorted(g.missing) == sorted(NUTS3_CODES)
    assert g.placed == 5  # the coordinates alone (Paris is inside the fitted box now)
    assert ET.fromstring(g.svg) is not None


def test_projection_keeps_north_up() -> None:
    p = Projector.fit((-3.5, 42.3, 2.7, 47.2))
    (x1, y1), (x2, y2) = p.xy(-2.9, 43.3), p.xy(-0.6, 44.8)  # Bilbao, Bordeaux
    assert x2 > x1 and y2 < y1


def test_links_and_groups_are_exposed_and_named_with_hidden_focus_rings() -> None:
    g = build_geo(nuts3_rows(), orgs(), [], lang="en", tr=NULL, org_url=lambda i: f"/org/{i}")
    root = ET.fromstring(g.svg)
    assert root.get("role") == "group", "not img: an img's links and buttons are hidden from screen readers"
    assert root.get("aria-labelledby") == "geo-title"
    links = {a.get("data-id"): a for a in root.iter(f"{SVG}a")}
    assert links["c"].get("aria-label") == "C" and links["d"].get("aria-label") == "D"
    for a in list(links.values()) + [e for e in root.iter(f"{SVG}g") if e.get("role") == "button"]:
        rings = [c for c in a.iter(f"{SVG}circle") if "focus-ring" in (c.get("class") or "")]
        assert len(rings) == 2 and all(c.get("visibility") == "hidden" and c.get("aria-hidden") == "true" for c in rings)
    group = next(e for e in root.iter(f"{SVG}g") if e.get("role") == "button")
    assert group.get("tabindex") == "0" and group.get("aria-label") == "2 organisations"
