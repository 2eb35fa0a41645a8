"""The residency planner's pure parts: solvers, constraints, explanations (no database)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webdata import ensure_compiled

from graphsvc.errors import InvalidInput, Problem
from graphsvc.residency import Applicant, Host, Options, Pair, Weights, plan, read_inputs, render_reason
from graphsvc.residency.explain import render_why, translations
from graphsvc.residency.problems import render_problem, translated
from graphsvc.residency.solve import SCALE, Instance

TERRITORIES = ["ES21", "ES22", "FRI"]
LANGS = ["eu", "es", "fr", "en"]
PERIODS = ["1", "2", "3"]
TOPICS = ["audiovisual", "green", "energy", "design"]


def sub(items: list[str], min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    if not items:
        return st.just(())
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=len(items), unique=True).map(tuple)


@st.composite
def instances(draw: st.DrawFn, max_hosts: int = 4, max_apps: int = 7) -> tuple[list[Host], list[Applicant], Options]:
    n_h = draw(st.integers(1, max_hosts))
    hosts = [
        Host(f"h{i}", f"Host {i}", draw(st.sampled_from(TERRITORIES)), draw(st.integers(0, 2)),
             draw(sub(PERIODS, 1)), draw(sub(LANGS, 1)), draw(sub(TOPICS)))
        for i in range(n_h)
    ]
    host_ids = [h.id for h in hosts]
    n_a = draw(st.integers(0, max_apps))
    apps = [
        Applicant(f"a{i}", f"Applicant {i}", draw(st.sampled_from(TERRITORIES)), draw(sub(LANGS, 1)),
                  draw(sub(PERIODS, 1)), draw(sub(TOPICS)), f"org{i}", draw(sub(host_ids)))
        for i in range(n_a)
    ]
    hosts = [Host(h.id, h.name, h.territory, h.places, h.periods, h.languages, h.topics, f"horg{i}",
                  draw(sub([a.id for a in apps]))) for i, h in enumerate(hosts)]
    forbids = tuple(Pair(a, h) for a, h in draw(st.lists(st.tuples(st.sampled_from([a.id for a in apps] or ["x"]),
                                                                      st.sampled_from(host_ids)), max_size=3, unique=True))
                    if a != "x")
    prox = {(a.organisation, h.organisation): draw(st.sampled_from([0.0, 0.3, 1.0])) for a in apps for h in hosts}
    opts = Options(cross_border=draw(st.booleans()), require_topic=draw(st.booleans()), forbids=forbids,
                   proximity=prox)
    return hosts, apps, opts


# -- independent checks ---------------------------------------------------------------
def allowed(h: Host, a: Applicant, period: str, opts: Options) -> bool:
    """Every hard rule, written again independently of the solver."""
    if opts.cross_border and h.territory == a.territory:
        return False
    if not set(h.languages) & set(a.languages):
        return False
    if period not in h.periods or period not in a.periods or h.places < 1:
        return False
    if opts.require_topic and a.topics and not {t.lower() for t in a.topics} & {t.lower() for t in h.topics}:
        return False
    if any(f.applicant == a.id and f.host == h.id and f.period in (None, period) for f in opts.forbids):
        return False
    lock = next((p for p in opts.locks if p.applicant == a.id), None)
    return lock is None or (lock.host == h.id and lock.period in (None, period))


def check_rules(hosts: list[Host], apps: list[Applicant], opts: Options, result: object) -> None:
    hosts_by, apps_by = {h.id: h for h in hosts}, {a.id: a for a in apps}
    used: dict[tuple[str, str], int] = {}
    seen = set()
    for x in result.assignments:  # type: ignore[attr-defined]
        assert x.applicant not in seen
        seen.add(x.applicant)
        h, a = hosts_by[x.host], apps_by[x.applicant]
        assert allowed(h, a, x.period, opts), x
        used[(x.host, x.period)] = used.get((x.host, x.period), 0) + 1
        assert used[(x.host, x.period)] <= h.places
    unmatched = {u.applicant for u in result.unmatched}  # type: ignore[attr-defined]
    assert unmatched | seen == set(apps_by) and not unmatched & seen
    for p in opts.locks:
        assert (p.applicant, p.host) in {(x.applicant, x.host) for x in result.assignments}  # type: ignore[attr-defined]


def brute_force(hosts: list[Host], apps: list[Applicant], opts: Options) -> tuple[int, int, int] | None:
    """Best (locked placed, placed, fit points) over every assignment; None if locks cannot all be kept."""
    inst = Instance(hosts, apps, opts)
    choices = []
    for a in apps:
        c: list[tuple[Host, str] | None] = [None]
        c += [(h, p) for h in hosts for p in h.periods if allowed(h, a, p, opts)]
        choices.append(c)
    best = None
    locked = {p.applicant for p in opts.locks}
    for combo in itertools.product(*choices):
        used: dict[tuple[str, str], int] = {}
        ok = True
        for pick in combo:
            if pick is not None:
                key = (pick[0].id, pick[1])
                used[key] = used.get(key, 0) + 1
                if used[key] > pick[0].places:
                    ok = False
                    break
        if not ok:
            continue
        n_locked = sum(1 for a, pick in zip(apps, combo, strict=True) if pick and a.id in locked)
        if n_locked < len(locked):
            continue
        value = (n_locked, sum(1 for p in combo if p),
                 sum(inst.fit(a, pick[0]).points for a, pick in zip(apps, combo, strict=True) if pick))
        if best is None or value > best:
            best = value
    return best


def blocking_pairs(hosts: list[Host], apps: list[Applicant], opts: Options, result: object) -> list[tuple[str, str, str]]:
    """(applicant, host, period) pairs that would both rather be together."""
    inst = Instance(hosts, apps, opts)
    hosts_by = {h.id: h for h in hosts}
    where = {x.applicant: (x.host, x.period) for x in result.assignments}  # type: ignore[attr-defined]
    locked = {p.applicant for p in opts.locks}
    app_order = {a.id: i for i, a in enumerate(apps)}
    host_order = {h.id: i for i, h in enumerate(hosts)}

    def a_rank(a: Applicant, h: Host, p: str) -> tuple[int, int, int, int, int]:
        listed = h.id in a.preferences
        return (not listed, a.preferences.index(h.id) if listed else 0, -inst.fit(a, h).points, host_order[h.id],
                a.periods.index(p))

    def h_rank(h: Host, a: Applicant) -> tuple[int, int, int, int]:
        listed = a.id in h.ranking
        return (not listed, h.ranking.index(a.id) if listed else 0, -inst.fit(a, h).points, app_order[a.id])

    residents: dict[tuple[str, str], list[str]] = {}
    for aid, slot in where.items():
        residents.setdefault(slot, []).append(aid)
    out = []
    for a in apps:
        if a.id in locked:
            continue
        mine = where.get(a.id)
        for h in hosts:
            for p in h.periods:
                if not allowed(h, a, p, opts):
                    continue
                if mine is not None and a_rank(a, h, p) >= a_rank(a, hosts_by[mine[0]], mine[1]):
                    continue
                res = residents.get((h.id, p), [])
                market = [r for r in res if r not in locked]
                free = h.places - len(res)
                if free > 0 or any(h_rank(h, a) < h_rank(h, inst.applicant[r]) for r in market):
                    out.append((a.id, h.id, p))
    return out


# -- properties -------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["optimal", "stable"]))
def test_rules_always_hold(inst: tuple[list[Host], list[Applicant], Options], mode: str) -> None:
    hosts, apps, opts = inst
    opts = Options(mode=mode, cross_border=opts.cross_border, require_topic=opts.require_topic,  # type: ignore[arg-type]
                   forbids=opts.forbids, proximity=opts.proximity)
    check_rules(hosts, apps, opts, plan(hosts, apps, opts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_hosts=3, max_apps=5), st.sampled_from(["assignment", "flow"]))
def test_optimal_equals_brute_force(inst: tuple[list[Host], list[Applicant], Options], solver: str) -> None:
    hosts, apps, opts = inst
    result = plan(hosts, apps, opts, solver=solver)  # type: ignore[arg-type]
    best = brute_force(hosts, apps, opts)
    assert best is not None
    assert (len(result.assignments), round(result.total * SCALE)) == best[1:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_hosts=3, max_apps=5), st.data())
def test_locks_stay_or_are_refused(inst: tuple[list[Host], list[Applicant], Options], data: st.DataObject) -> None:
    hosts, apps, opts = inst
    pairs = [(a, h) for a in apps for h in hosts if any(allowed(h, a, p, opts) for p in h.periods)]
    chosen = data.draw(st.lists(st.sampled_from(pairs), max_size=3, unique_by=lambda x: x[0].id)) if pairs else []
    locks = tuple(Pair(a.id, h.id) for a, h in chosen)
    mode = data.draw(st.sampled_from(["optimal", "stable"]))
    opts = Options(mode=mode, cross_border=opts.cross_border, require_topic=opts.require_topic,  # type: ignore[arg-type]
                   forbids=opts.forbids, locks=locks, proximity=opts.proximity)
    best = brute_force(hosts, apps, opts)
    if best is None:
        with pytest.raises(InvalidInput, match="cannot all be kept"):
            plan(hosts, apps, opts)
        return
    result = plan(hosts, apps, opts)
    check_rules(hosts, apps, opts, result)
    assert {(x.applicant, x.host) for x in result.assignments if x.locked} == {(p.applicant, p.host) for p in locks}
    if mode == "optimal":
        assert (len(result.assignments), round(result.total * SCALE)) == best[1:]
    else:
        assert blocking_pairs(hosts, apps, opts, result) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_stable_leaves_no_blocking_pair(inst: tuple[list[Host], list[Applicant], Options]) -> None:
    hosts, apps, opts = inst
    opts = Options(mode="stable", cross_border=opts.cross_border, require_topic=opts.require_topic,
                   forbids=opts.forbids, proximity=opts.proximity)
    result = plan(hosts, apps, opts)
    check_rules(hosts, apps, opts, result)
    assert blocking_pairs(hosts, apps, opts, result) == []


@settings(max_examples=40, deadline=None)
@given(instances())
def test_forbidden_pairs_never_appear(inst: tuple[list[Host], list[Applicant], Options]) -> None:
    hosts, apps, opts = inst
    # forbid every pair of the unconstrained plan: none may come back
    first = plan(hosts, apps, opts)
    forbids = tuple(Pair(x.applicant, x.host) for x in first.assignments)
    for mode in ("optimal", "stable"):
        again = plan(hosts, apps, Options(mode=mode, cross_border=opts.cross_border,  # type: ignore[arg-type]
                                          require_topic=opts.require_topic, forbids=forbids))
        assert not {(x.applicant, x.host) for x in again.assignments} & {(f.applicant, f.host) for f in forbids}


# -- examples a user would recognise ------------------------------------------------------------
BDX = Host("bdx", "Université de Bordeaux", "FRI", 1, ("1", "2"), ("fr", "en"), ("audiovisual", "green"))
MU = Host("mu", "Mondragon Unibertsitatea", "ES21", 1, ("1",), ("eu", "es", "en"), ("audiovisual",))
UPNA = Host("upna", "Universidad Pública de Navarra", "ES22", 2, ("2",), ("es", "eu"), ("energy",))


def test_cross_border_rule_can_be_turned_off() -> None:
    ane = Applicant("a1", "Ane", "ES21", ("eu",), ("1",), ("audiovisual",))
    assert plan([MU], [ane]).unmatched[0].reason.code == "same_territory"
    off = plan([MU], [ane], Options(cross_border=False))
    assert [(x.applicant, x.host) for x in off.assignments] == [("a1", "mu")]


def test_preferences_and_fit_drive_the_optimum() -> None:
    apps = [Applicant("a1", "Paul", "FRI", ("es", "en"), ("1", "2"), ("audiovisual",), preferences=("upna", "mu")),
            Applicant("a2", "Léa", "FRI", ("es",), ("2",), ("energy",))]
    hosts = [MU, Host("upna", "UPNA", "ES22", 1, ("2",), ("es",), ("energy", "audiovisual"))]
    result = plan(hosts, apps)
    # a1 would rather go to UPNA, but then a2 (who can only go there) stays home: the
    # optimum places both.
    assert {(x.applicant, x.host) for x in result.assignments} == {("a1", "mu"), ("a2", "upna")}
    stable = plan(hosts, apps, Options(mode="stable"))
    assert len(stable.assignments) >= 1 and blocking_pairs(hosts, apps, Options(mode="stable"), stable) == []


def test_weights_change_the_choice() -> None:
    a = Applicant("a1", "Iker", "ES21", ("fr", "en"), ("1",), ("audiovisual",), preferences=("b",))
    hosts = [Host("b", "B", "FRI", 1, ("1",), ("fr",), ("green", "audiovisual")),
             Host("c", "C", "FRI", 1, ("1",), ("fr",), ("audiovisual",))]
    assert plan(hosts, [a]).assignments[0].host == "b"  # preference bonus wins
    assert plan(hosts, [a], Options(weights=Weights(preference=0.0))).assignments[0].host == "c"  # topics win


def test_unmatched_reasons_are_precise() -> None:
    hosts = [BDX, MU, UPNA]
    cases = {
        Applicant("x1", "X", "FRI", ("fr",), ("1",), ("robotics",)): "no host covers the topic robotics",
        Applicant("x2", "X", "ES22", ("de",), ("1",), ("energy",)):
            "every host that covers these topics is in Navarre, and residencies cross the border",
        Applicant("x3", "X", "FRI", ("de",), ("1",), ("audiovisual",)): "no host in another territory works in German",
        Applicant("x4", "X", "FRI", ("eu", "es"), ("3",), ("audiovisual",)): "no place with Basque or Spanish in period 3",
    }
    result = plan(hosts, list(cases))
    got = {u.applicant: render_reason(u.reason) for u in result.unmatched}
    assert got == {a.id: why for a, why in cases.items()}


def test_full_hosts_are_named_as_the_reason() -> None:
    apps = [Applicant(f"a{i}", f"A{i}", "ES21", ("fr",), ("2",), ("audiovisual",)) for i in range(3)]
    hosts = [BDX, Host("ua", "Université de Pau", "FRI", 1, ("2",), ("fr",), ("audiovisual",))]
    for mode in ("optimal", "stable"):
        result = plan(hosts, apps, Options(mode=mode))  # type: ignore[arg-type]
        assert len(result.assignments) == 2
        assert render_reason(result.unmatched[0].reason) == "all 2 hosts in other territories that fit are full in period 2"


def test_explanations_say_why_this_host() -> None:
    a = Applicant("a1", "Ane", "ES21", ("eu", "en"), ("2",), ("Audiovisual", "green"), "pic:999865234", ("bdx",))
    result = plan([BDX], [a])
    lines = render_why(result.assignments[0])
    assert lines == ["choice 1 of 1 in the applicant's preferences", "shares 2 topics: Audiovisual and green",
                     "works in English", "available in period 2", "crosses the border: Basque Country → Nouvelle-Aquitaine"]
    # the same in Basque names (the sentences come from the catalogue in the web app)
    assert "ingelesa" in render_why(result.assignments[0], locale="eu")[2]


def test_bad_locks_are_reported_each() -> None:
    a = Applicant("a1", "Ane", "ES21", ("eu",), ("1",))
    with pytest.raises(InvalidInput) as err:
        plan([BDX, MU], [a], Options(locks=(Pair("a1", "mu"), Pair("zz", "mu"), Pair("a1", "bdx"))))
    assert [str(p) for p in err.value.problems] == [
        "lock:1: lock: a1:mu: both are in ES21 (the cross-border rule)",
        "lock:2: lock: zz:mu: no applicant 'zz'",
        "lock:3: lock: a1:bdx: applicant a1 is already locked (lock 1)",
    ]


# -- problems of the files, in the user's language -------------------------------------------
BAD_HOSTS = "id,name,territory,places,periods,languages\nh1,Host,FRI,two,1,fr\nh1,Other,Mars,1,,fr\n"
BAD_APPLICANTS = "id,name,territory,languages,periods,wishes\na1,Ane,ES21,klingon,1\n"
BAD_ENGLISH = [
    "HOSTS.csv:2: places: 'two': a whole number from 0 to 1000",
    "HOSTS.csv:3: id: 'h1' is already used on line 2",
    "HOSTS.csv:3: territory: unknown territory 'Mars' (use ES21, ES22, FRI or a NUTS code)",
    "HOSTS.csv:3: periods: at least one period is required",
    "APPLICANTS.csv:1: wishes: unknown column (the columns are id, name, organisation, territory, languages, "
    "periods, topics, preferences)",
    "APPLICANTS.csv:2: languages: unknown language 'klingon' (use codes such as eu, es, fr, en)",
]


def _catalogue(lang: str) -> tuple[Any, Any]:
    ensure_compiled()
    return translations(ROOT / "web" / "translations", lang)


def test_file_problems_keep_their_english_message_and_carry_a_code() -> None:
    with pytest.raises(InvalidInput) as err:
        read_inputs(BAD_HOSTS, BAD_APPLICANTS)
    problems = err.value.problems
    assert [str(p) for p in problems] == BAD_ENGLISH
    assert [p.code for p in problems] == ["bad_places", "duplicate_id", "unknown_territory", "no_period",
                                          "unknown_column", "unknown_language"]
    assert problems[1].params == {"value": "h1", "line": 2}
    # rendered without a catalogue, every problem reads exactly as its English message
    assert [render_problem(p) for p in problems] == [p.message for p in problems]
    # the codes and params do not change what a problem is
    assert problems[0] == Problem("HOSTS.csv", 2, "places", "'two': a whole number from 0 to 1000")


@pytest.mark.parametrize(("lang", "expected"), [
    ("es", ["HOSTS.csv:2: places: 'two': un número entero de 0 a 1000",
            "HOSTS.csv:3: id: 'h1' ya se usa en la línea 2",
            "HOSTS.csv:3: territory: territorio desconocido 'Mars' (use ES21, ES22, FRI o un código NUTS)",
            "HOSTS.csv:3: periods: se necesita al menos un periodo",
            "APPLICANTS.csv:1: wishes: columna desconocida (las columnas son id, name, organisation, territory, "
            "languages, periods, topics, preferences)",
            "APPLICANTS.csv:2: languages: idioma desconocido 'klingon' (use códigos como eu, es, fr, en)"]),
    ("eu", ["HOSTS.csv:2: places: 'two': 0 eta 1000 arteko zenbaki osoa",
            "HOSTS.csv:3: id: 'h1' dagoeneko erabilita dago 2. lerroan",
            "HOSTS.csv:3: territory: 'Mars' lurralde ezezaguna (erabili ES21, ES22, FRI edo NUTS kode bat)",
            "HOSTS.csv:3: periods: gutxienez aldi bat behar da",
            "APPLICANTS.csv:1: wishes: zutabe ezezaguna (zutabeak hauek dira: id, name, organisation, territory, "
            "languages, periods, topics, preferences)",
            "APPLICANTS.csv:2: languages: 'klingon' hizkuntza ezezaguna (erabili kodeak, adibidez eu, es, fr, en)"]),
])
def test_file_problems_render_in_the_catalogue_language(lang: str, expected: list[str]) -> None:
    gettext, ngettext = _catalogue(lang)
    with pytest.raises(InvalidInput) as err:
        read_inputs(BAD_HOSTS, BAD_APPLICANTS)
    assert [str(translated(p, gettext, ngettext)) for p in err.value.problems] == expected


def test_pseudo_fields_and_plurals_are_translated_but_columns_are_not() -> None:
    gettext, ngettext = _catalogue("fr")
    with pytest.raises(InvalidInput) as err:
        read_inputs(b"id,places\xff\n", "id,name,territory,languages,periods\na1,Ane,ES21,eu,1,x\n")
    got = [str(translated(p, gettext, ngettext)) for p in err.value.problems]
    assert got[0] == "HOSTS.csv:1: encodage: le fichier n'est pas du texte UTF-8 : enregistrez-le en CSV UTF-8"
    assert got[1] == "APPLICANTS.csv:2: ligne: 6 cellules mais 5 colonnes"
    assert translated(Problem("x.csv", 1, "places", "made elsewhere"), gettext, ngettext).message == "made elsewhere"


def test_refused_locks_render_in_the_catalogue_language() -> None:
    a = Applicant("a1", "Ane", "ES21", ("eu",), ("1",))
    with pytest.raises(InvalidInput) as err:
        plan([BDX, MU], [a], Options(locks=(Pair("a1", "mu"), Pair("zz", "mu"))))
    gettext, ngettext = _catalogue("es")
    assert [str(translated(p, gettext, ngettext)) for p in err.value.problems] == [
        "fijación:1: fijación: a1:mu: ambos están en el territorio ES21 (regla transfronteriza)",
        "fijación:2: fijación: zz:mu: no hay ningún candidato 'zz'",
    ]


def test_cli_prints_the_problems_in_english(tmp_path: Path) -> None:
    from lotura.cli import main

    hosts, apps = tmp_path / "HOSTS.csv", tmp_path / "APPLICANTS.csv"
    hosts.write_text(BAD_HOSTS, encoding="utf-8")
    apps.write_text(BAD_APPLICANTS, encoding="utf-8")
    env = {"LOTURA_HOME": str(tmp_path / "home"), "NEO4J_URI": "bolt://127.0.0.1:9"}
    for lang in ("en", "es"):  # --lang is the language of the plan, not of the problems
        res = CliRunner().invoke(main, ["residency", "plan", str(hosts), str(apps), "--offline", "--lang", lang],
                                 env=env)
        assert res.exit_code == 1
        assert "Error: 6 problems in the residency files" in res.output
        for line in BAD_ENGLISH:
            file, rest = line.split(":", 1)
            assert f"  {tmp_path / file}:{rest}\n" in res.output, res.output
