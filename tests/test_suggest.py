"""Partner suggestions against the real Neo4j, on the small hand-made world of
``test_suggest_world.py`` (whose docstring tells the story and the expected answers)."""

from __future__ import annotations

import pytest
from test_suggest_world import ORGS, build_world, name

from graphsvc.db import Graph
from graphsvc.errors import InvalidInput, NotFound
from graphsvc.projection import projection
from graphsvc.reasons import identity_gettext, identity_ngettext, render_reason
from graphsvc.suggest import resolve, suggest

TERRITORY = {o["id"]: o["territory"] for o in ORGS}
COUNTRY = {o["id"]: o["country"] for o in ORGS}


@pytest.fixture()
def world(graph: Graph) -> Graph:
    return build_world(graph)


def partners_of(g: Graph, org: str, as_of: int | None) -> set[str]:
    proj = projection(g, as_of=as_of)
    i = proj.index[org]
    return {proj.ids[j] for j in proj.co.neighbours(i)}


def test_default_scope_other_territories_no_partners(world: Graph) -> None:
    got = suggest(world, "Alpha University", as_of=2023)
    ids = [s.id for s in got]
    assert ids, "Alpha University should get suggestions"
    partners = partners_of(world, "pic:1", 2023)
    assert partners == {"pic:8", "pic:5", "pic:2"}
    assert not set(ids) & partners
    assert all(TERRITORY[i] in {"ES22", "FRI"} for i in ids)
    # Pau Tech: shares Berlin Institute and offers the training Alpha needs: first.
    assert ids[0] == "pic:6"


def test_reasons_name_real_shared_partners_and_capacity(world: Graph) -> None:
    top = suggest(world, "pic:1", as_of=2023)[0]
    codes = {r["code"]: r for r in top.reasons}
    assert codes["shared_partners"]["names"] == [name("pic:8")]
    assert codes["shared_partners"]["count"] == 1
    assert codes["offers_capacity"]["topic"] == "virtual production"
    assert codes["offers_capacity"]["kind"] == "training"
    assert top.introduction == ["Berlin Institute"]
    assert codes["introduction_path"]["path"] == ["Berlin Institute"]
    texts = [render_reason(r, identity_gettext, identity_ngettext) for r in top.reasons]
    assert "shares 1 partner with you: Berlin Institute" in texts
    assert "Berlin Institute could introduce you" in texts
    assert set(top.parts) >= {"resource_allocation", "topics", "complementarity"}
    assert 0 < top.score <= 1


def test_country_ties_count_partners_in_the_organisations_country(world: Graph) -> None:
    # Asked for the Basque Alpha University on that part alone: Tudela VET (with Bilbao
    # Films) and Pau Tech (with Navarre Cluster) already work with a Spanish organisation;
    # Limoges Studio works with no Spanish organisation (Bordeaux Lab is a partner already).
    only = suggest(world, "pic:1", as_of=2023, weights={"country_ties": 1})
    assert [s.id for s in only] == ["pic:4", "pic:6"]
    for s in only:
        assert s.parts["country_ties"] == 1.0
    # the reason is given for the French candidate; for Tudela VET, in Spain itself, it
    # would be trivially true
    assert not [r for r in only[0].reasons if r["code"] == "country_ties"]
    reason = next(r for r in only[1].reasons if r["code"] == "country_ties")
    assert reason == {"code": "country_ties", "count": 1, "country": "ES"}
    text = render_reason(reason, identity_gettext, identity_ngettext)
    assert text == "already works with 1 organisation in your country"


def test_as_of_hides_later_projects(world: Graph) -> None:
    later = {s.id for s in suggest(world, "pic:1", limit=50)}
    earlier = {s.id for s in suggest(world, "pic:1", as_of=2023, limit=50)}
    # P4 (2024) makes Pau Tech a partner: suggested only as of 2023.
    assert "pic:6" in earlier
    assert "pic:6" not in later
    # As of 2019 only P6 exists: Alpha University has no partners and no network reasons.
    early = suggest(world, "pic:1", as_of=2019, limit=50)
    assert all(r["code"] != "shared_partners" for s in early for r in s.reasons)


def test_introduction_path_over_three_hops(world: Graph) -> None:
    got = {s.id: s for s in suggest(world, "pic:1", as_of=2023, limit=50)}
    # Tudela VET is reached through Bilbao Films only.
    assert got["pic:4"].introduction == ["Bilbao Films"]
    # Limoges Studio shares Berlin Institute.
    assert got["pic:7"].introduction == ["Berlin Institute"]


def test_scopes_abroad_and_any(world: Graph) -> None:
    abroad = suggest(world, "pic:1", as_of=2023, scope="abroad", limit=50)
    assert abroad and all(COUNTRY[s.id] != "ES" for s in abroad)
    assert "pic:9" in {s.id for s in abroad}  # Roma Centre, via Berlin Institute
    anyone = {s.id for s in suggest(world, "pic:1", as_of=2023, scope="any", limit=50)}
    assert "pic:4" in anyone and "pic:1" not in anyone
    assert not anyone & partners_of(world, "pic:1", 2023)


def test_filters_territory_kind_topic_min_score_limit(world: Graph) -> None:
    fri = suggest(world, "pic:1", as_of=2023, territory="FRI", limit=50)
    assert fri and {TERRITORY[s.id] for s in fri} == {"FRI"}
    vet = suggest(world, "pic:1", as_of=2023, kind="vet", limit=50)
    assert [s.id for s in vet] == ["pic:4"]
    vp = {s.id for s in suggest(world, "pic:1", as_of=2023, topic="virtual production", limit=50)}
    assert vp == {"pic:3", "pic:6"}  # P2 is about it, and Pau Tech's capacity covers it
    health = {s.id for s in suggest(world, "pic:1", as_of=2023, topic="kw:health", limit=50)}
    assert health == {"pic:7"}
    assert len(suggest(world, "pic:1", as_of=2023, limit=1)) == 1
    assert all(s.score >= 0.5 for s in suggest(world, "pic:1", as_of=2023, min_score=0.5, limit=50))


def test_same_input_same_output(world: Graph) -> None:
    a = [s.to_dict() for s in suggest(world, "pic:1", scope="any", limit=50)]
    from graphsvc.projection import clear_cache

    clear_cache()
    b = [s.to_dict() for s in suggest(world, "pic:1", scope="any", limit=50)]
    assert a == b


def test_newcomer_by_topics_and_text(world: Graph) -> None:
    by_topic = suggest(world, None, topics=["virtual production"])
    assert by_topic[0].id == "pic:6"
    codes = {r["code"] for r in by_topic[0].reasons}
    assert {"matches_topics", "offers_capacity"} <= codes
    assert by_topic[0].introduction == []
    by_text = suggest(world, None, text="We look for partners in public health research")
    assert by_text and by_text[0].id == "pic:7"  # the only Euroregion org on public health


def test_newcomers_get_their_own_defaults_unless_weights_are_given(world: Graph) -> None:
    from graphsvc.algorithms.scoring import NEWCOMER_WEIGHTS

    by_default = suggest(world, None, topics=["virtual production"], limit=5)
    w = NEWCOMER_WEIGHTS.normalised().as_dict()
    for s in by_default:
        assert s.score == pytest.approx(sum(w[k] * v for k, v in s.parts.items()), abs=1e-3)
    # Weights given explicitly are used as they are (rescaled over the newcomer parts).
    topics_only = suggest(world, None, topics=["virtual production"], limit=5, weights={"topics": 1})
    for s in topics_only:
        assert s.score == pytest.approx(s.parts["topics"], abs=1e-3)


def test_org_resolution_and_errors(world: Graph) -> None:
    assert suggest(world, "1", as_of=2023)[0].id == suggest(world, "pic:1", as_of=2023)[0].id
    assert suggest(world, "alpha university", as_of=2023)
    with pytest.raises(NotFound) as err:
        suggest(world, "Alpha Universty")
    assert "Alpha University" in str(err.value)
    # case, accents and spacing do not matter, in names as in short names
    proj = projection(world)
    assert resolve(proj, " ÁLPHA   Univérsity ") == resolve(proj, "alpha university") == proj.index["pic:1"]
    # a part of several names is not "unknown": the error lists them with their ids
    with pytest.raises(NotFound) as many:
        suggest(world, "re")
    assert "'re' is part of 2 organisations' names" in str(many.value)
    assert "Navarre Cluster (pic:3)" in str(many.value) and "Roma Centre (pic:9)" in str(many.value)
    with pytest.raises(InvalidInput) as bad:
        suggest(world, "pic:1", scope="moon")
    assert bad.value.field == "scope"
    with pytest.raises(InvalidInput):
        suggest(world, None)
    with pytest.raises(NotFound):
        suggest(world, None, topics=["quantum knitting"])


def test_load_invalidates_cache(world: Graph) -> None:
    before = {s.id for s in suggest(world, "pic:1", limit=50)}
    assert "pic:6" not in before
    with world.driver.session(database=world.database) as s:
        s.run("MATCH (:Organisation {id: 'pic:6'})-[r:PARTICIPATES_IN]->(:Project {id: 'he:P4'}) DELETE r").consume()
    world.bump_version()
    after = {s.id for s in suggest(world, "pic:1", limit=50)}
    assert "pic:6" in after
