"""Every page of the explorer over the demo data: status and what a reader looks for."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date
from typing import Any

import neo4j.time
import pytest

TECNALIA = "pic:999604110"


def html(resp: Any) -> str:
    return resp.get_data(as_text=True)


def first_org_href(page: str) -> str:
    m = re.search(r'<a class="org" href="(/org/[^"]+)"', page)
    assert m, "the page links at least one organisation"
    return m.group(1)


# -- dashboard ------------------------------------------------------------------------------
def test_home_redirects_to_the_dashboard(client: Any) -> None:
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/dashboard")


def test_dashboard_shows_kpis_counts_chart_and_loads(client: Any) -> None:
    resp = client.get("/dashboard")
    assert resp.status_code == 200
    page = html(resp)
    # The partnership's scoreboard: five KPIs with their targets and progress bars.
    for key, target in (("capacities", "100"), ("organisations", "49"), ("projects_supported", "30"),
                        ("hub_agents", "500"), ("euroregional_projects", "1")):
        row = re.search(rf'<tr data-kpi="{key}">(.*?)</tr>', page, re.S)
        assert row, key
        assert f'<td class="num">{target}</td>' in row.group(1)
        assert "<progress" in row.group(1)
    # the Euroregional projects are the partnership's own (one, the Green Audiovisual Hub),
    # not the 122 CORDIS projects that cross the border; examples are counted apart
    euro = re.search(r'<tr data-kpi="euroregional_projects">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="num">1</td>' in euro and '<span class="pct">100%</span>' in euro
    caps = re.search(r'<tr data-kpi="capacities">(.*?)</tr>', page, re.S).group(1)
    assert "curated example data" in caps and "Examples do not count towards the target." in caps
    # and the document's three other indicators are named as not counted
    assert "Events and networks taken part in" in page.split('data-testid="kpis-not-counted"')[1]
    # Counts per territory and kind, with the territories' names.
    for name in ("Basque Country", "Navarre", "Nouvelle-Aquitaine"):
        assert name in page
    assert "VET centre" in page and "University" in page
    # Cross-border projects per year as an SVG chart, and the latest load.
    assert '<svg class="chart"' in page
    assert "Cross-border projects per year" in page
    assert re.search(r"<td>demo<br>", page)


# -- directory ---------------------------------------------------------------------------------
def test_directory_search_finds_an_organisation(client: Any) -> None:
    resp = client.get("/directory?q=tecnalia")
    assert resp.status_code == 200
    page = html(resp)
    assert "TECNALIA RESEARCH" in page
    assert f'href="/org/{TECNALIA}"' in page
    assert re.search(r"\d+ organisations? found", page)


def test_directory_relevance_puts_the_big_players_first_among_equal_matches(client: Any) -> None:
    # dozens of names and cities contain "bordeaux"; the university (131 projects) comes first
    page = html(client.get("/directory?q=bordeaux"))
    first = re.search(r'<a class="org" href="/org/([^"]+)"', page.split("<tbody>")[1])
    assert first and first.group(1) == "pic:949735440"  # UNIVERSITE DE BORDEAUX


def test_directory_search_ignores_accents_and_lucene_syntax(client: Any) -> None:
    # "Clúster" typed without its accent, and characters Lucene would choke on.
    resp = client.get("/directory?q=cluster+audiovisual+navarra")
    assert resp.status_code == 200
    assert "Audiovisual Cluster of Navarre" in html(resp)
    for q in ('"unclosed', "a:b OR (", "*", "\\", "AND"):
        assert client.get("/directory", query_string={"q": q}).status_code == 200


def test_directory_filters_by_territory_kind_and_capacities(client: Any) -> None:
    page = html(client.get("/directory?territory=ES21&kind=vet&has_capacities=1&per_page=100"))
    assert "Politeknika Txorierri" in page
    assert "TXORIERRI S. COOP" not in page  # same name, no capacity
    rows = re.findall(r'<tr>\s*<td><a class="org"', page)
    assert rows
    assert "Nouvelle-Aquitaine</span>" not in page.split("<tbody>")[1]


def test_directory_topic_filter_and_nuts3(client: Any) -> None:
    page = html(client.get("/directory", query_string={"topic": "Green filming"}))
    assert "Audiovisual Cluster of Navarre" in page
    page = html(client.get("/directory?nuts3=ES220&per_page=100"))
    assert "Navarre</span>" in page
    assert "Basque Country</span>" not in page.split("<tbody>")[1]


def test_directory_pages_and_sorts(client: Any) -> None:
    first = html(client.get("/directory?per_page=10"))
    second = html(client.get("/directory?per_page=10&page=2"))
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert first_org_href(first) != first_org_href(second)
    by_projects = html(client.get("/directory?sort=projects&per_page=5"))
    counts = [int(n.replace(",", "")) for n in re.findall(r'<td class="num">([\d,]+)</td>\s*<td class="num">', by_projects)]
    assert counts == sorted(counts, reverse=True) and counts[0] > 50


def test_directory_csv_is_the_whole_result_in_the_language(client: Any) -> None:
    resp = client.get("/directory?q=tecnalia&format=csv&lang=es")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Id", "PIC", "Nombre"]
    assert any(r[0] == TECNALIA and r[8] == "País Vasco" for r in rows[1:])


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=x", "page"), ("per_page=1000", "per_page"), ("territory=XX", "territory"),
    ("kind=spaceship", "kind"), ("sort=random", "sort"), ("nuts3=Bizkaia", "nuts3"),
    ("has_capacities=perhaps", "has_capacities"), ("topic=no+such+topic+at+all", "topic"),
    ("q=" + "x" * 201, "q"), ("format=xls", "format"),
])
def test_directory_bad_parameter_is_a_400_naming_the_field(client: Any, query: str, field: str) -> None:
    resp = client.get(f"/directory?{query}")
    assert resp.status_code == 400
    page = html(resp)
    assert f"Field: {field}" in page
    assert "Traceback" not in page
    if field != "format":  # the page itself, with the error in its form (a CSV has no form)
        form = page.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
        assert f'role="alert" data-field="{field}"' in form
        assert 'data-testid="result-count"' in page


def test_directory_shows_every_bad_parameter_and_keeps_the_good_ones(client: Any) -> None:
    resp = client.get("/directory?q=tecnalia&kind=spaceship&page=x")
    assert resp.status_code == 400
    page = html(resp)
    form = page.split('<form class="filters"', 1)[1].split("</form>", 1)[0]
    assert 'data-field="kind"' in form and 'data-field="page"' in form
    assert 'value="tecnalia"' in form and "TECNALIA RESEARCH" in page


def test_directory_page_past_the_last_links_to_the_last(client: Any) -> None:
    page = html(client.get("/directory?per_page=100&page=99999"))
    total = int(re.search(r"([\d,]+) organisations found", page).group(1).replace(",", ""))  # type: ignore[union-attr]
    last = -(-total // 100)
    assert "No organisation matches these filters" not in page
    note = page.split('data-testid="past-last-page"', 1)[1].split("</p>", 1)[0]
    assert "Page 99,999 is past the last page of these results." in note
    assert f'page={last}' in note and f"Go to the last page ({last})" in note
    assert '<table class="directory">' in html(client.get(f"/directory?per_page=100&page={last}"))


# -- organisation, project, topic ------------------------------------------------------------
def test_organisation_page_shows_identity_projects_partners_and_suggestions(client: Any) -> None:
    resp = client.get(f"/org/{TECNALIA}")
    assert resp.status_code == 200
    page = html(resp)
    assert "<h1>FUNDACION TECNALIA RESEARCH &amp; INNOVATION</h1>" in page
    assert "Research centre" in page and "999604110" in page
    assert "Gipuzkoa" in page or "Bizkaia" in page  # its NUTS-3 region
    # Projects on a timeline: an SVG per year and the list grouped by year.
    assert "Projects per start year" in page and '<ol class="timeline">' in page
    assert re.search(r'<h3 class="year">20\d\d</h3>', page)
    # Partners grouped by territory, the other side of the border included.
    assert "Partners by territory" in page
    assert re.search(r'class="card partners t-FRI"', page)
    # The maps engineer's ego-network component.
    assert 'data-testid="ego-map"' in page
    # Suggestions with their reasons.
    sugg = page.split('data-testid="suggestions"')[1]
    assert '<li class="suggestion">' in sugg
    assert '<ul class="reasons">' in sugg and "<li>" in sugg.split('<ul class="reasons">')[1]


def test_organisation_page_by_pic_redirects_to_the_id(client: Any) -> None:
    resp = client.get("/org/999604110")
    assert resp.status_code == 301
    assert resp.headers["Location"].endswith(f"/org/{TECNALIA}")


def test_organisation_page_of_a_curated_vet_centre(client: Any) -> None:
    page = html(client.get("/directory?q=politeknika+txorierri"))
    href = first_org_href(page)
    page = html(client.get(href))
    assert "Politeknika Txorierri" in page
    assert "VET centre" in page
    assert '<ul class="capacities">' in page  # it offers a capacity


def test_a_kind_guessed_from_the_name_says_so(client: Any, demo_graph: Any) -> None:
    # The bundled data's H2020-only organisations get their kind from their name.
    rows = demo_graph.read_text(
        "MATCH (o:Organisation {kind_source: 'name'}) WHERE o.kind = 'university' "
        "RETURN o.id AS id, o.name AS name ORDER BY id LIMIT 1")
    assert rows, "the demo load guesses kinds from names"
    page = html(client.get(f"/org/{rows[0]['id']}"))
    assert "University" in page and "(guessed from the name)" in page
    page = html(client.get(f"/org/{rows[0]['id']}?lang=es"))
    assert "(deducido del nombre)" in page
    page = html(client.get(f"/org/{TECNALIA}"))  # CORDIS gives its kind
    assert "guessed from the name" not in page


def test_unknown_ids_are_404_pages(client: Any) -> None:
    for url in ("/org/pic:000", "/project/he:0", "/topic/kw:no-such-topic", "/queries/no_such_query"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        page = html(resp)
        assert "Not found" in page and "Traceback" not in page


def test_project_page_lists_participants_by_territory(client: Any) -> None:
    org = client.get(f"/api/v1/organisations/{TECNALIA}").get_json()
    cross = next(p for p in org["projects"] if p["cross_border"])
    page = html(client.get(f"/project/{cross['id']}"))
    assert f"<h1>{cross['acronym']}</h1>" in page.replace("&amp;", "&")
    assert "Cross-border project" in page
    assert "Participants" in page and "Coordinator" in page
    assert f'href="/org/{TECNALIA}"' in page


def test_topic_page(client: Any) -> None:
    page = html(client.get("/topic/ccs:green-filming"))
    assert "<h1>Green filming</h1>" in page
    assert "Needed by" in page and "Audiovisual Cluster of Navarre" in page


# -- finder --------------------------------------------------------------------------------------
def test_finder_by_organisation_links_both_organisations(client: Any) -> None:
    page = html(client.get("/finder?org=mondragon"))
    assert "Which organisation do you mean?" in page  # many names contain it, none is it
    # three names contain "tecnalia"; one organisation's short name is it: straight there
    page = html(client.get("/finder?org=tecnalia"))
    assert "Suggested partners for FUNDACION TECNALIA RESEARCH &amp; INNOVATION" in page
    page = html(client.get(f"/finder?org={TECNALIA}&limit=5"))
    results = page.split('data-testid="finder-results"')[1]
    assert results.count('<li class="suggestion card">') == 5
    assert results.count(f'href="/org/{TECNALIA}"') == 5  # each result links back to it
    assert '<ul class="reasons">' in results


def test_finder_goes_straight_to_an_exact_name_and_points_an_umbrella_to_its_members(client: Any) -> None:
    # several names contain it, one is it (accents and case aside): no "which one?" step
    page = html(client.get("/finder", query_string={"org": "Université de Bordeaux"}))
    assert "Which organisation do you mean?" not in page
    assert "Suggested partners for UNIVERSITE DE BORDEAUX" in page
    # Mondragon Unibertsitatea has no project of its own; its Faculty of Engineering has
    page = html(client.get("/finder?org=ksi:mondragon-unibertsitatea"))
    note = page.split('data-testid="umbrella-note"')[1].split("</p>")[0]
    assert "Mondragon Unibertsitatea has no projects of its own" in note
    assert "these suggestions combine the networks of its members" in note  # graphsvc.suggest's group mode
    assert 'org=pic:999855146' in note and "Faculty of Engineering (Mondragon Unibertsitatea)" in note
    # the paths to the candidates start at that member, and the page says so
    assert "(from your member Faculty of Engineering (Mondragon Unibertsitatea))" in page
    assert 'data-testid="umbrella-note"' not in html(client.get(f"/finder?org={TECNALIA}"))
    api = client.get("/api/v1/organisations/ksi:mondragon-unibertsitatea/suggestions").get_json()
    assert api["organisation"]["combined_members"] == [
        {"id": "pic:999855146", "name": "Faculty of Engineering (Mondragon Unibertsitatea)"}]
    assert "combined_members" not in client.get(f"/api/v1/organisations/{TECNALIA}/suggestions").get_json()[
        "organisation"]


def test_the_topic_choices_offer_each_name_once(client: Any) -> None:
    import unicodedata

    page = html(client.get("/finder"))
    datalist = page.split('<datalist id="topic-choices">')[1].split("</datalist>")[0]
    names = re.findall(r'<option value="([^"]*)">', datalist)
    folded = ["".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c)).casefold()
              for n in names]
    assert len(names) > 20 and len(set(folded)) == len(folded)


def test_finder_filters_apply(client: Any) -> None:
    page = html(client.get(f"/finder?org={TECNALIA}&scope=euroregion&territory=FRI&kind=university&limit=10"))
    results = page.split('data-testid="finder-results"')[1]
    assert "Nouvelle-Aquitaine" in results
    assert "Navarre</span>" not in results and "Basque Country</span>" not in results


def test_finder_by_described_need(client: Any) -> None:
    page = html(client.get("/finder", query_string={"mode": "need", "topics": "Green filming", "limit": 5}))
    assert "Organisations that could meet this need" in page
    assert '<li class="suggestion card">' in page


@pytest.mark.parametrize("query, field", [
    ("org=zzzzqqqq", "org"), ("mode=need&topics=no+such+topic+at+all", "topics"),
    (f"org={TECNALIA}&min_score=3", "min_score"), (f"org={TECNALIA}&limit=0", "limit"),
    (f"org={TECNALIA}&scope=mars", "scope"),
])
def test_finder_bad_parameter_is_a_400_naming_the_field(client: Any, query: str, field: str) -> None:
    resp = client.get(f"/finder?{query}")
    assert resp.status_code == 400
    assert f'data-field="{field}"' in html(resp)


# -- analytics -------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, heading", [
    ("/analytics/communities", "Communities and brokers"),
    ("/analytics/brokers", "Cross-border brokers"),
    ("/analytics/gaps", "Skills gaps per territory"),
    ("/analytics/gaps?territory=ES22", "Skills gaps per territory"),
])
def test_analytics_pages(client: Any, url: str, heading: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 200
    assert f"<h1>{heading}</h1>" in html(resp)


def test_skills_gaps_group_by_territory(client: Any) -> None:
    page = html(client.get("/analytics/gaps"))
    for code in ("ES21", "ES22", "FRI"):
        assert f'id="h-gaps-{code}"' in page


# -- saved queries ---------------------------------------------------------------------------------
def test_saved_queries_list_and_every_query_runs_with_its_defaults(client: Any) -> None:
    from web.views.queries import saved_queries

    page = html(client.get("/queries"))
    queries = saved_queries()
    assert len(queries) >= 5
    for name, q in queries.items():
        assert q.text("title", "en") in page.replace("&#39;", "'")
        resp = client.get(f"/queries/{name}?run=1")
        assert resp.status_code == 200, name
        assert 'data-testid="query-results"' in html(resp)


def test_saved_query_form_results_and_csv(client: Any) -> None:
    page = html(client.get("/queries/top_cross_border_organisations"))
    assert 'data-testid="query-form"' in page and 'name="territory"' in page
    page = html(client.get("/queries/top_cross_border_organisations?run=1&territory=ES21&limit=5"))
    assert "5 rows" in page
    assert "Cross-border partners" in page  # the column, labelled
    resp = client.get("/queries/top_cross_border_organisations?run=1&territory=ES21&limit=5&format=csv&lang=fr")
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Id", "Organisation"] and "Partenaires transfrontaliers" in rows[0]
    assert len(rows) == 6


def test_saved_query_parameters_are_validated(client: Any) -> None:
    resp = client.get("/queries/cross_border_projects_by_year?run=1&since=last+year")
    assert resp.status_code == 400 and "Field: since" in html(resp)
    form = html(resp).split('data-testid="query-form"', 1)[1].split("</form>", 1)[0]
    assert 'role="alert" data-field="since"' in form and 'value="last year"' in form, "shown in the form"
    assert 'data-testid="query-results"' not in html(resp)
    resp = client.get("/queries/cross_border_projects_by_year?run=1&territory=MATCH+(n)+DETACH+DELETE+n")
    assert resp.status_code == 400 and "Field: territory" in html(resp)
    resp = client.get("/queries/cross_border_projects_by_year?run=1&since=last+year&format=csv")
    assert resp.status_code == 400 and resp.mimetype != "text/csv"


def test_projects_between_two_equal_territories_are_refused(client: Any) -> None:
    resp = client.get("/queries/projects_between_territories?run=1&first=ES21&second=ES21")
    assert resp.status_code == 400
    page = html(resp)
    form = page.split('data-testid="query-form"', 1)[1].split("</form>", 1)[0]
    assert "First territory and Second territory must be different." in form
    assert 'data-testid="query-results"' not in page
    resp = client.get("/queries/projects_between_territories?run=1&first=ES21&second=ES21&format=csv")
    assert resp.status_code == 400
    resp = client.get("/queries/projects_between_territories?run=1&first=ES21&second=FRI")
    assert resp.status_code == 200 and 'data-testid="query-results"' in html(resp)


def test_no_free_cypher_reaches_the_database(client: Any) -> None:
    # Unknown parameters are ignored; only the declared ones reach the query.
    resp = client.get("/queries/organisations_in_region?run=1&cypher=MATCH+(n)+DETACH+DELETE+n")
    assert resp.status_code == 200
    assert client.get("/directory?q=tecnalia").status_code == 200


# -- assets -------------------------------------------------------------------------------------------
def test_no_page_references_an_external_script_style_or_font(client: Any) -> None:
    pages = ["/dashboard", "/directory?q=tecnalia", f"/org/{TECNALIA}", "/finder", "/analytics/communities",
             "/analytics/gaps", "/queries", "/queries/top_cross_border_organisations?run=1", "/topic/ccs:green-filming"]
    for url in pages:
        page = html(client.get(url))
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", page):
            for attr in re.findall(r'(?:src|href)="([^"]*)"', tag):
                assert not re.match(r"(?:https?:)?//", attr), f"{url}: {tag}"
        assert "@import" not in page and "fonts.googleapis" not in page
    resp = client.get("/static/css/lotura.css")
    css = resp.get_data(as_text=True)
    resp.close()
    assert not re.search(r"url\((['\"]?)(https?:)?//", css)


def test_the_time_of_the_analysis_is_a_date_in_the_page_language(app: Any) -> None:
    # Meta.analysed_at reaches the page as the driver's DateTime
    date_filter = app.jinja_env.filters["date"]
    analysed = neo4j.time.DateTime(2026, 11, 22, 6, 20, 59, 806_000_000, tzinfo=UTC)
    for lang, expected in (("en", "Nov 22, 2026"), ("fr", "22 nov. 2026"), ("es", "22 nov 2026")):
        with app.test_request_context(f"/analytics/communities?lang={lang}"):
            shown = date_filter(analysed)
            assert shown.startswith(expected) and "T06" not in shown, (lang, shown)
            assert date_filter("not a date") == "not a date"  # text is shown as it is


def test_dates_show_the_same_from_the_driver_and_from_python(app: Any) -> None:
    date_filter = app.jinja_env.filters["date"]
    neo = neo4j.time.DateTime(2026, 11, 22, 6, 20, 59, 806_000_000, tzinfo=UTC)
    with app.test_request_context("/dashboard?lang=fr"):
        assert date_filter(neo) == date_filter(neo.to_native())
        assert date_filter(neo).startswith("22 nov. 2026")
        assert date_filter(neo4j.time.Date(2026, 11, 22)) == date_filter(date(2026, 11, 22)) == "22 nov. 2026"


def test_every_page_has_an_icon_and_favicon_ico_answers(client: Any) -> None:
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    for url in ("/dashboard", "/maps/event?selection=whole"):
        page = client.get(url).get_data(as_text=True)
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page, url


def test_gaps_resting_on_examples_are_marked(client: Any) -> None:
    # every need of the bundled data is a curated example: each gap says so, and the page why
    page = html(client.get("/analytics/gaps"))
    rows = re.findall(r"<tr( class=\"example\")?><td>", page.split("<tbody>", 1)[1])
    assert rows and all(rows)
    assert "Gaps marked Example rest only on curated example needs or capacities" in page


def test_the_language_switch_shows_codes_and_names_them(client: Any) -> None:
    page = html(client.get("/dashboard?lang=fr"))
    switch = page.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    # the code is shown; the name read out is the code, then the language (WCAG 2.5.3)
    assert re.findall(r'title="([^"]+)"[^>]*>(\w\w)<span class="visually-hidden"> – ([^<]+)</span></a>', switch) == [
        ("Euskara", "EU", "Euskara"), ("Español", "ES", "Español"), ("Français", "FR", "Français"),
        ("English", "EN", "English")]
