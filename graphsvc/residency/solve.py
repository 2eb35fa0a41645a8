"""Matching applicants to host places: an exact optimum, or a stable matching.

An assignment sends an applicant to a *slot*, a (host, period) pair with the host's
places. A pair is *eligible* when

* the host is in another territory than the applicant (the cross-border rule, which
  :attr:`Options.cross_border` turns off),
* they share at least one working language,
* the period is one the host offers (with at least one place) and the applicant can do,
* they share a topic, when the applicant lists topics (:attr:`Options.require_topic`),
* the organiser has not forbidden the pair.

``optimal`` mode keeps every lock, then places as many applicants as possible, then
maximises the total fit, exactly: each fit is scaled to an integer (:data:`SCALE`) and
the three goals are folded into one integer weight per pair, so that one assignment
problem (:func:`scipy.optimize.linear_sum_assignment` over the slots' places; a
min-cost flow with :func:`networkx.network_simplex` when that matrix would be too
large) gives the lexicographic optimum.

``stable`` mode runs applicant-proposing deferred acceptance (Gale–Shapley with
capacities): each slot is a "hospital" with the host's places, applicants rank hosts
by their ``preferences`` then by fit, hosts rank applicants by their ``ranking`` then by
fit. Locked pairs are placed first and stay out of the market.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment

from graphsvc.errors import InvalidInput, Problem
from graphsvc.residency.model import (
    Applicant,
    Assignment,
    Host,
    Options,
    Plan,
    Reason,
    Unmatched,
    norm,
)
from graphsvc.residency.problems import problem

__all__ = ["SCALE", "Fit", "Instance", "plan", "fit"]

SCALE = 1000  # fits are compared as integers: round(SCALE * fit)
MAX_DENSE_CELLS = 6_000_000  # above this many matrix cells, use the min-cost flow
Solver = Literal["auto", "assignment", "flow"]


@dataclass(frozen=True)
class Fit:
    """How well an applicant fits a host; ``points`` is ``round(SCALE * score)``."""

    score: float
    points: int
    topic_similarity: float
    shared_topics: tuple[str, ...]
    proximity: float
    preference_rank: int | None
    preference_count: int


@dataclass
class Instance:
    """Hosts, applicants and options with the lookups every solver needs."""

    hosts: Sequence[Host]
    applicants: Sequence[Applicant]
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        self.host = {h.id: h for h in self.hosts}
        self.applicant = {a.id: a for a in self.applicants}
        self._topics = {("h", h.id): frozenset(norm(t) for t in h.topics) for h in self.hosts}
        self._topics.update({("a", a.id): frozenset(norm(t) for t in a.topics) for a in self.applicants})
        self._forbidden_any = {(p.applicant, p.host) for p in self.options.forbids if p.period is None}
        self._forbidden_in = {(p.applicant, p.host, p.period) for p in self.options.forbids if p.period}
        self.locks = {p.applicant: p for p in self.options.locks}
        self._fits: dict[tuple[str, str], Fit] = {}

    # -- constraints ----------------------------------------------------------------
    def forbidden(self, a: str, h: str, period: str | None = None) -> bool:
        return (a, h) in self._forbidden_any or (period is not None and (a, h, period) in self._forbidden_in)

    def shares_topic(self, a: Applicant, h: Host) -> bool:
        at = self._topics[("a", a.id)]
        return not at or not self.options.require_topic or bool(at & self._topics[("h", h.id)])

    def compatible(self, a: Applicant, h: Host) -> bool:
        """Territory, language and topic rules (periods, places and forbids aside)."""
        if self.options.cross_border and a.territory == h.territory:
            return False
        if not set(a.languages) & set(h.languages):
            return False
        return self.shares_topic(a, h)

    def periods(self, a: Applicant, h: Host) -> list[str]:
        """The periods in which ``a`` may go to ``h``: shared, with places, not forbidden,
        and the locked period if the applicant's lock names one (applicant's order)."""
        if h.places <= 0 or not self.compatible(a, h) or self.forbidden(a.id, h.id):
            return []
        lock = self.locks.get(a.id)
        if lock is not None and lock.host != h.id:
            return []
        offered = set(h.periods)
        out = [p for p in a.periods if p in offered and not self.forbidden(a.id, h.id, p)]
        if lock is not None and lock.period is not None:
            out = [p for p in out if p == lock.period]
        return out

    # -- fit --------------------------------------------------------------------------
    def fit(self, a: Applicant, h: Host) -> Fit:
        key = (a.id, h.id)
        if key not in self._fits:
            self._fits[key] = self._fit(a, h)
        return self._fits[key]

    def _fit(self, a: Applicant, h: Host) -> Fit:
        w = self.options.weights
        at, ht = self._topics[("a", a.id)], self._topics[("h", h.id)]
        union = at | ht
        jaccard = len(at & ht) / len(union) if union else 0.0
        shared = tuple(t for t in a.topics if norm(t) in ht)
        prox = 0.0
        if self.options.proximity is not None and a.organisation and h.organisation:
            src = self.options.proximity
            raw = src(a.organisation, h.organisation) if callable(src) else src.get((a.organisation, h.organisation), 0.0)
            prox = min(1.0, max(0.0, float(raw or 0.0)))
        rank = a.preferences.index(h.id) + 1 if h.id in a.preferences else None
        k = len(a.preferences)
        pref = (k - rank + 1) / k if rank is not None else 0.0
        score = w.topics * jaccard + w.proximity * prox + w.preference * pref
        return Fit(round(score, 4), round(SCALE * score), round(jaccard, 4), shared, round(prox, 4), rank, k)

    # -- slots --------------------------------------------------------------------------
    def slots(self) -> list[tuple[str, str, int]]:
        """Every (host, period, places) a resident can take, in input order."""
        return [(h.id, p, h.places) for h in self.hosts if h.places > 0 for p in dict.fromkeys(h.periods)]


def fit(applicant: Applicant, host: Host, options: Options | None = None) -> Fit:
    """The fit of one applicant at one host.

    Examples
    --------
    >>> from graphsvc.residency.model import Applicant, Host
    >>> h = Host("bdx", "Université de Bordeaux", "FRI", 1, ("1",), ("fr", "en"), ("audiovisual", "green"))
    >>> a = Applicant("a1", "Ane", "ES21", ("eu", "en"), ("1",), ("Audiovisual",), preferences=("bdx",))
    >>> f = fit(a, h)
    >>> f.topic_similarity, f.preference_rank, f.score, f.shared_topics
    (0.5, 1, 1.0, ('Audiovisual',))
    """
    return Instance([host], [applicant], options or Options()).fit(applicant, host)


def _check_pairs(inst: Instance) -> None:
    """Every lock and forbid must name known ids; every lock must be eligible."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for kind, pairs in (("lock", inst.options.locks), ("forbid", inst.options.forbids)):
        for i, pair in enumerate(pairs, start=1):
            a, h = inst.applicant.get(pair.applicant), inst.host.get(pair.host)
            code: str | None = None
            params: dict[str, object] = {}
            if a is None:
                code, params = "pair_no_applicant", {"applicant": pair.applicant}
            elif h is None:
                code, params = "pair_no_host", {"host": pair.host}
            elif pair.period is not None and pair.period not in h.periods:
                code, params = "pair_no_period", {"host": h.id, "period": pair.period}
            elif kind == "lock":
                if pair.applicant in seen:
                    code, params = "lock_twice", {"applicant": a.id, "lock": seen[pair.applicant]}
                elif inst.forbidden(a.id, h.id, pair.period):
                    code = "lock_forbidden"
                elif inst.options.cross_border and a.territory == h.territory:
                    code, params = "lock_same_territory", {"territory": a.territory}
                elif not set(a.languages) & set(h.languages):
                    code = "lock_no_language"
                elif not inst.shares_topic(a, h):
                    code = "lock_no_topic"
                elif not inst.periods(a, h):
                    code = "lock_no_places"
                seen.setdefault(pair.applicant, i)
            if code:
                problems.append(problem(kind, i, kind, code, pair=str(pair), **params))
    if problems:
        raise InvalidInput("some locked or forbidden pairs cannot be used", problems=problems)


# -- optimal --------------------------------------------------------------------------
def _weights(inst: Instance, applicants: Sequence[Applicant]) -> tuple[list[tuple[str, str, int]], list[list[tuple[int, int]]]]:
    """Slots, and for each applicant its (slot index, integer weight) options.

    weight = fit points + M (+ L for a locked pair), with M larger than any total of
    fit points and L larger than any total of M's, so that maximising the sum of
    weights keeps locks first, then places the most applicants, then fits best.
    """
    slots = inst.slots()
    index = {(h, p): j for j, (h, p, _) in enumerate(slots)}
    raw: list[list[tuple[int, int, bool]]] = []
    best = 0
    for a in applicants:
        row = []
        locked = a.id in inst.locks
        for h in inst.hosts:
            periods = inst.periods(a, h)
            if not periods:
                continue
            pts = inst.fit(a, h).points
            best = max(best, pts)
            row.extend((index[(h.id, p)], pts, locked) for p in periods)
        raw.append(row)
    n = len(applicants)
    m = n * best + 1
    lock = n * (m + best) + 1
    return slots, [[(j, pts + m + (lock if locked else 0)) for j, pts, locked in row] for row in raw]


def _solve_assignment(n_slots_caps: list[int], options: list[list[tuple[int, int]]]) -> dict[int, int]:
    """Applicant row -> slot, maximising the total weight (dense assignment problem)."""
    rows = [i for i, opts in enumerate(options) if opts]
    if not rows:
        return {}
    demand = [0] * len(n_slots_caps)
    for i in rows:
        for j, _ in options[i]:
            demand[j] += 1
    col_slot: list[int] = []
    first_col: dict[int, int] = {}
    for j, cap in enumerate(n_slots_caps):
        copies = min(cap, demand[j])
        if copies:
            first_col[j] = len(col_slot)
            col_slot.extend([j] * copies)
    w = np.zeros((len(rows), len(col_slot)), dtype=np.float64)
    for r, i in enumerate(rows):
        for j, wt in options[i]:
            c0 = first_col[j]
            w[r, c0 : c0 + min(n_slots_caps[j], demand[j])] = wt
    rr, cc = linear_sum_assignment(w, maximize=True)
    return {rows[r]: col_slot[c] for r, c in zip(rr, cc, strict=True) if w[r, c] > 0}


def _solve_flow(caps: list[int], options: list[list[tuple[int, int]]]) -> dict[int, int]:
    """The same optimum as :func:`_solve_assignment` by a min-cost flow, for large instances."""
    n = len(options)
    g = nx.DiGraph()
    g.add_node("s", demand=-n)
    g.add_node("t", demand=n)
    g.add_edge("s", "t", capacity=n, weight=0)  # leaving an applicant unplaced
    for i, opts in enumerate(options):
        g.add_edge("s", ("a", i), capacity=1, weight=0)
        g.add_edge(("a", i), "t", capacity=1, weight=0)
        for j, wt in opts:
            g.add_edge(("a", i), ("p", j), capacity=1, weight=-wt)
    for j, cap in enumerate(caps):
        if g.has_node(("p", j)):
            g.add_edge(("p", j), "t", capacity=cap, weight=0)
    _, flow = nx.network_simplex(g)
    out = {}
    for i in range(n):
        for node, f in flow.get(("a", i), {}).items():
            if f and node != "t":
                out[i] = node[1]
    return out


def _optimal(inst: Instance, applicants: Sequence[Applicant], caps: dict[tuple[str, str], int] | None = None,
             solver: Solver = "auto") -> dict[str, tuple[str, str]]:
    slots, options = _weights(inst, applicants)
    cap = [caps.get((h, p), c) if caps else c for h, p, c in slots]
    if solver == "auto":
        cells = len(applicants) * sum(min(c, len(applicants)) for c in cap)
        solver = "assignment" if cells <= MAX_DENSE_CELLS else "flow"
    chosen = (_solve_assignment if solver == "assignment" else _solve_flow)(cap, options)
    return {applicants[i].id: (slots[j][0], slots[j][1]) for i, j in chosen.items()}


# -- stable ---------------------------------------------------------------------------
def _stable(inst: Instance, applicants: Sequence[Applicant], caps: dict[tuple[str, str], int]) -> dict[str, tuple[str, str]]:
    """Applicant-proposing deferred acceptance over (host, period) slots."""
    host_order = {h.id: i for i, h in enumerate(inst.hosts)}
    app_order = {a.id: i for i, a in enumerate(inst.applicants)}
    # The applicant's list: hosts it ranked, in its order, then the others by fit; each
    # host's periods in the applicant's order.
    proposals: dict[str, list[tuple[str, str]]] = {}
    for a in applicants:
        hosts = [h for h in inst.hosts if inst.periods(a, h)]
        hosts.sort(key=lambda h: (h.id not in a.preferences,
                                  a.preferences.index(h.id) if h.id in a.preferences else 0,
                                  -inst.fit(a, h).points, host_order[h.id]))
        proposals[a.id] = [(h.id, p) for h in hosts for p in inst.periods(a, h)]

    def host_rank(h: Host, a: Applicant) -> tuple[int, int, int, int]:
        listed = a.id in h.ranking
        return (not listed, h.ranking.index(a.id) if listed else 0, -inst.fit(a, h).points, app_order[a.id])

    rank_cache: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    held: dict[tuple[str, str], list[tuple[tuple[int, int, int, int], str]]] = defaultdict(list)  # max-heap by rank
    nxt = dict.fromkeys(proposals, 0)
    free = [a.id for a in applicants][::-1]
    while free:
        aid = free.pop()
        plist = proposals[aid]
        while nxt[aid] < len(plist):
            slot = plist[nxt[aid]]
            nxt[aid] += 1
            cap = caps.get(slot, 0)
            if cap <= 0:
                continue
            key = (slot[0], aid)
            if key not in rank_cache:
                rank_cache[key] = host_rank(inst.host[slot[0]], inst.applicant[aid])
            r = rank_cache[key]
            heap = held[slot]
            neg = tuple(-x for x in r)
            if len(heap) < cap:
                heapq.heappush(heap, (neg, aid))  # type: ignore[arg-type]
                break
            worst_neg, worst = heap[0]
            if neg > worst_neg:  # the slot prefers aid to its worst resident
                heapq.heapreplace(heap, (neg, aid))  # type: ignore[arg-type]
                free.append(worst)
                break
    return {aid: slot for slot, heap in held.items() for _, aid in heap}


# -- explanations ------------------------------------------------------------------------
def _why(inst: Instance, a: Applicant, h: Host, period: str, locked: bool, mode: str) -> tuple[Reason, ...]:
    f = inst.fit(a, h)
    out: list[Reason] = []
    if locked:
        out.append(Reason("locked"))
    if f.preference_rank is not None:
        out.append(Reason("preference", {"rank": f.preference_rank, "count": f.preference_count}))
    if f.shared_topics:
        out.append(Reason("topics", {"topics": list(f.shared_topics)}))
    shared_langs = [lang for lang in a.languages if lang in h.languages]
    out.append(Reason("languages", {"languages": shared_langs}))
    out.append(Reason("period", {"period": period}))
    if a.territory != h.territory:
        out.append(Reason("cross_border", {"home": a.territory, "host": h.territory}))
    if f.proximity > 0:
        out.append(Reason("proximity", {"value": f.proximity}))
    if mode == "stable" and not locked:
        out.append(Reason("stable"))
    return tuple(out)


def _why_unmatched(inst: Instance, a: Applicant) -> Reason:
    """The first rule that leaves the applicant without a place, most specific first."""
    opts = inst.options
    cands = list(inst.hosts)
    if not cands:
        return Reason("no_hosts")
    if opts.require_topic and a.topics:
        cands = [h for h in cands if inst.shares_topic(a, h)]
        if not cands:
            return Reason("no_topic", {"topics": list(a.topics)})
    if opts.cross_border:
        cands = [h for h in cands if h.territory != a.territory]
        if not cands:
            return Reason("same_territory", {"territory": a.territory})
    cands = [h for h in cands if set(h.languages) & set(a.languages)]
    if not cands:
        return Reason("no_language", {"languages": list(a.languages), "cross_border": opts.cross_border})
    mine = set(a.periods)
    slots = [(h, p) for h in cands if h.places > 0 for p in h.periods if p in mine]
    if not slots:
        return Reason("no_period", {"languages": list(a.languages), "periods": list(a.periods)})
    lock = inst.locks.get(a.id)
    slots = [(h, p) for h, p in slots if not inst.forbidden(a.id, h.id, p)
             and (lock is None or (lock.host == h.id and lock.period in (None, p)))]
    if not slots:
        return Reason("forbidden")
    periods = [p for p in a.periods if any(p == q for _, q in slots)]
    hosts = len({h.id for h, _ in slots})
    return Reason("full", {"periods": periods, "hosts": hosts, "cross_border": opts.cross_border})


# -- entry point -----------------------------------------------------------------------
def plan(hosts: Sequence[Host], applicants: Sequence[Applicant], options: Options | None = None,
         *, solver: Solver = "auto") -> Plan:
    """Plan the residencies.

    Raises :class:`~graphsvc.errors.InvalidInput` when a locked or forbidden pair names
    an unknown id, or a lock breaks a rule or cannot be kept for lack of places.

    Examples
    --------
    >>> from graphsvc.residency.model import Applicant, Host, Options, Pair
    >>> hosts = [Host("bdx", "Université de Bordeaux", "FRI", 1, ("1", "2"), ("fr", "en"), ("audiovisual",)),
    ...          Host("mu", "Mondragon Unibertsitatea", "ES21", 1, ("1",), ("eu", "es", "en"), ("audiovisual",))]
    >>> apps = [Applicant("a1", "Ane", "ES21", ("eu", "en"), ("1",), ("audiovisual",)),
    ...         Applicant("a2", "Paul", "FRI", ("fr", "es"), ("1",), ("audiovisual",)),
    ...         Applicant("a3", "Iñaki", "ES22", ("eu", "es"), ("2",), ("audiovisual",))]
    >>> p = plan(hosts, apps)
    >>> [(x.applicant, x.host, x.period) for x in p.assignments]
    [('a1', 'bdx', '1'), ('a2', 'mu', '1')]
    >>> p.unmatched[0].reason
    Reason(code='no_period', params={'languages': ['eu', 'es'], 'periods': ['2']})
    >>> stable = plan(hosts, apps, Options(mode="stable", forbids=(Pair("a1", "bdx"),)))
    >>> [(x.applicant, x.host) for x in stable.assignments], stable.unmatched[0].reason.code
    ([('a2', 'mu')], 'forbidden')
    """
    options = options or Options()
    inst = Instance(hosts, applicants, options)
    _check_pairs(inst)
    locked_apps = [a for a in applicants if a.id in inst.locks]
    if options.mode == "optimal":
        chosen = _optimal(inst, applicants, solver=solver)
    elif options.mode == "stable":
        chosen = _optimal(inst, locked_apps, solver=solver) if locked_apps else {}
        caps = {(h, p): c for h, p, c in inst.slots()}
        for slot in chosen.values():
            caps[slot] -= 1
        rest = [a for a in applicants if a.id not in inst.locks]
        chosen.update(_stable(inst, rest, caps))
    else:
        raise InvalidInput(f"unknown mode {options.mode!r}: use optimal or stable", field="mode")
    missing = [p for p in options.locks if p.applicant not in chosen]
    if missing:
        raise InvalidInput(
            "the locked pairs cannot all be kept: not enough places",
            problems=[problem("lock", options.locks.index(p) + 1, "lock", "lock_full", pair=str(p), host=p.host)
                      for p in missing],
        )
    assignments, unmatched, total = [], [], 0
    for a in applicants:
        if a.id in chosen:
            hid, period = chosen[a.id]
            h = inst.host[hid]
            locked = a.id in inst.locks
            f = inst.fit(a, h)
            total += f.points
            assignments.append(Assignment(a.id, hid, period, f.score, locked, _why(inst, a, h, period, locked, options.mode)))
        else:
            unmatched.append(Unmatched(a.id, _why_unmatched(inst, a)))
    return Plan(options.mode, tuple(assignments), tuple(unmatched), total / SCALE, options.cross_border)
