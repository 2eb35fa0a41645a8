"""Partner suggestions across the border, each with its reasons and an introduction path.

``suggest(graph, "pic:999999999")`` ranks the organisations of the *other* territories
of the Euroregion (scope ``euroregion``; ``abroad`` is any other country, ``any`` is
anyone) that are not partners yet (as of ``as_of``), by the combined score of
:mod:`graphsvc.algorithms.scoring`. Without an organisation, ``suggest(graph, None,
topics=[...], text="...")`` serves a newcomer: topic similarity and complementarity
with the described need, plus activity.

Every suggestion carries structured reasons (codes in :mod:`graphsvc.reasons`) and,
when one exists within the network, the names of the organisations on a shortest path
who could introduce the two.

An umbrella organisation with no project of its own whose members have some (a
university whose faculties take part in projects, ``MEMBER_OF``) is served as a group:
the network parts come from the group contracted into one node
(:func:`graphsvc.algorithms.linkpred.group_proximity_scores`), the topic and
complementarity parts from the group's combined profile, and neither the members nor any
member's partner is suggested (:func:`combined_members`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy.sparse import csgraph

from graphsvc.algorithms.communities import bridging_scores, group_bridging_scores
from graphsvc.algorithms.complementarity import complementarity_scores
from graphsvc.algorithms.linkpred import group_proximity_scores, partner_counts_in, proximity_scores
from graphsvc.algorithms.scoring import PARTS, Weights, combine, defaults_for, scale
from graphsvc.algorithms.similarity import cosine_scores, shared_terms, tokens
from graphsvc.db import Graph
from graphsvc.errors import AmbiguousName, InvalidInput, LoturaError, NotFound
from graphsvc.projection import KINDS, Projection, projection
from graphsvc.regions import TERRITORIES
from graphsvc.text import fold, norm

__all__ = [
    "Suggestion",
    "Query",
    "suggest",
    "resolve",
    "combined_members",
    "candidate_mask",
    "score_parts",
    "rank_scores",
    "irrelevant",
    "SCOPES",
    "MAX_LIMIT",
]

SCOPES = ("euroregion", "abroad", "any")
MAX_LIMIT = 200
_MAX_PATH = 5  # intermediaries shown at most in an introduction path


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner.

    ``parts`` holds each score component scaled to [0, 1] over the candidates of the
    request; ``score`` is their weighted sum. ``reasons`` are structured (render them
    with :func:`graphsvc.reasons.render_reason`); ``introduction`` names the
    intermediaries on a shortest path from the organisation to the candidate (empty
    when they are not connected, or for a newcomer).
    """

    id: str
    pic: str | None
    name: str
    territory: str | None
    country: str | None
    kind: str | None
    score: float
    parts: dict[str, float]
    reasons: list[dict[str, Any]]
    introduction: list[str] = field(default_factory=list)
    introduction_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Query:
    """What to find partners for: an organisation's row, or a newcomer's need.

    ``group``: the members whose networks and profiles are combined with the
    organisation's (an umbrella without projects of its own, :func:`combined_members`);
    empty for an ordinary organisation.
    """

    row: int | None = None
    topic_cols: tuple[int, ...] = ()
    words: tuple[str, ...] = ()
    group: tuple[int, ...] = ()

    @property
    def newcomer(self) -> bool:
        return self.row is None

    @property
    def rows(self) -> tuple[int, ...]:
        """The organisation's row and its combined members' rows."""
        return () if self.row is None else (self.row, *self.group)


def combined_members(proj: Projection, row: int) -> list[int]:
    """The members whose networks stand in for organisation ``row``'s, best known first.

    An organisation with no project of its own in ``proj`` (so ``as_of`` counts) whose
    members (``(member)-[:MEMBER_OF]->(org)``) have projects is suggested for as a group:
    it and those members. Empty for any other organisation (ordinary behaviour).
    Members are ordered by projects (most first), then name.
    """
    if proj.project_count[row] > 0:
        return []
    members = {m for m in proj.members.get(row, []) if m != row and proj.project_count[m] > 0}
    return sorted(members, key=lambda m: (-proj.project_count[m], proj.name[m], proj.ids[m]))


def _group_weights(proj: Projection, rows: Sequence[int]) -> np.ndarray:
    """The group's tie weight to every organisation: the distinct projects it shares with
    the group (a project two members share with it counts once), 0 on the group."""

    def make() -> np.ndarray:
        idx = list(rows)
        joined = np.asarray(proj.incidence[idx].sum(axis=0)).ravel() > 0
        out = np.asarray(proj.incidence @ joined.astype(np.float64)).ravel()
        out[idx] = 0.0
        return out

    return proj._get(f"group_weights:{tuple(rows)}", make)


def _group_profile(proj: Projection, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The group's combined topic vector (TF-IDF of its summed topic counts), offers and
    needs (any of its organisations')."""

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx = list(rows)
        counts = np.asarray(proj.topic_counts[idx].sum(axis=0)).ravel()
        topics = proj.topic_model.vector({int(j): float(counts[j]) for j in np.flatnonzero(counts)})
        offers = (np.asarray(proj.offers[idx].sum(axis=0)).ravel() > 0).astype(np.float64)
        needs = (np.asarray(proj.needs[idx].sum(axis=0)).ravel() > 0).astype(np.float64)
        return topics, offers, needs

    return proj._get(f"group_profile:{tuple(rows)}", make)


# -- resolution of organisations and topics ----------------------------------------------


def _folded_org_names(proj: Projection) -> tuple[list[str], list[str]]:
    return [fold(n) for n in proj.name], [fold(n) if n else "" for n in proj.short_name]


def exact_name(proj: Projection, text: str) -> int | None:
    """The row of the organisation whose name or short name is ``text`` (case, accents
    and spacing aside), or None. The same name twice (two sites of one body): the most
    active one."""
    names, shorts = proj._get("org_names_folded", lambda: _folded_org_names(proj))
    low = norm(text)
    if not low:
        return None
    exact = [i for i, n in enumerate(names) if n == low]
    exact += [i for i, n in enumerate(shorts) if n == low and i not in exact]
    if not exact:
        return None
    return max(exact, key=lambda i: (proj.project_count[i], -i))


def resolve(proj: Projection, ref: str) -> int:
    """The row of the organisation ``ref`` names: an id, a PIC or a name.

    Names match without regard to case or accents, in full (name or short name) or,
    when only one organisation's name contains it, in part. A part that several names
    contain raises NotFound listing them; an unknown reference raises NotFound naming
    near matches.
    """
    text = str(ref).strip()
    if not text:
        raise InvalidInput("name an organisation (id, PIC or name)", field="org")
    if text in proj.index:
        return proj.index[text]
    if text in proj.alias:
        return proj.alias[text]
    if text.isdigit() and f"pic:{text}" in proj.index:
        return proj.index[f"pic:{text}"]
    if text.isdigit():
        for i, p in enumerate(proj.pic):
            if p == text:
                return i
    found = exact_name(proj, text)
    if found is not None:
        return found
    names, _ = proj._get("org_names_folded", lambda: _folded_org_names(proj))
    low = norm(text)
    partial = [i for i, n in enumerate(names) if low in n]
    if len(partial) == 1:
        return partial[0]
    if partial:
        # most active first: the one most people mean is likely among the first shown
        shown = sorted(partial, key=lambda i: (-proj.project_count[i], proj.name[i]))[:8]
        more = f" and {len(partial) - len(shown)} more" if len(partial) > len(shown) else ""
        raise AmbiguousName(f"{text!r} is part of {len(partial)} organisations' names: "
                            f"{'; '.join(f'{proj.name[i]} ({proj.ids[i]})' for i in shown)}{more}. "
                            "Give the full name or the id", [(proj.ids[i], proj.name[i]) for i in shown])
    by_fold: dict[str, str] = {}
    for n, f in zip(proj.name, names, strict=True):
        by_fold.setdefault(f, n)
    near = [by_fold[n] for n in difflib.get_close_matches(low, list(by_fold), n=5, cutoff=0.6)]
    hint = f"; did you mean: {'; '.join(near)}" if near else ""
    raise NotFound(f"no organisation {text!r}{hint}")


def _topic_cols(proj: Projection, refs: Iterable[str]) -> list[int]:
    """Topic columns named by ids or names (:mod:`graphsvc.topics`: all topics of a name).

    A topic of the graph that nothing in this projection uses (an ESCO skill no capacity
    covers, a topic of later projects under ``as_of``) has no column: it adds nothing. A
    reference to no topic of the graph raises :class:`NotFound` naming near matches.
    """
    index = proj.topics
    cols: list[int] = []
    for ref in refs:
        if str(ref).strip():
            cols.extend(proj.topic_index[t] for t in index.resolve(str(ref)).ids if t in proj.topic_index)
    return sorted(set(cols))


def _text_topics(proj: Projection, words: Sequence[str]) -> list[int]:
    """Topics whose every word appears in the text."""
    index = proj._get("topic_word_index", lambda: _word_index(proj))
    seen = set(words)
    hits: set[int] = set()
    for w in seen:
        for j in index.get(w, ()):
            if set(tokens(proj.topic_name[j])) <= seen:
                hits.add(j)
    return sorted(hits)


def _word_index(proj: Projection) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for j, n in enumerate(proj.topic_name):
        for w in set(tokens(n)):
            out.setdefault(w, []).append(j)
    return out


# -- candidates and scores ------------------------------------------------------------


def candidate_mask(
    proj: Projection,
    query: Query,
    *,
    scope: str = "euroregion",
    territory: str | None = None,
    kind: str | None = None,
    topic_cols: Sequence[int] = (),
) -> np.ndarray:
    """Which rows may be suggested: in scope, passing the filters, not the organisation
    itself, not one of its partners (as of the projection's year) and not a curated
    placeholder (``is_example``). For a group (``query.group``), no member of the
    organisation (with projects or not) and no partner of a combined member; the scope is
    the organisation's."""
    terr, country, kinds = _attrs(proj)
    in_region = proj._get("in_region", lambda: np.isin(terr, TERRITORIES))
    mask = ~proj.example  # curated placeholders are never suggested
    if query.row is not None:
        i = query.row
        mask[i] = False
        mask[proj.co.neighbours(i)] = False
        for m in query.group:
            mask[proj.co.neighbours(m)] = False
        if query.group:  # every member, those without projects too
            mask[list(query.group) + proj.members.get(i, [])] = False
        if scope == "euroregion":
            mask &= in_region & (terr != (proj.territory[i] or ""))
        elif scope == "abroad":
            mine = proj.country[i]
            mask &= country != (mine or "")
            if not mine:
                mask &= terr != ""
    elif scope == "euroregion":
        mask &= in_region
    if territory:
        mask &= terr == territory
    if kind:
        mask &= kinds == kind
    if topic_cols:
        cols = list(topic_cols)
        has = np.asarray(proj.topic_counts[:, cols].sum(axis=1)).ravel() > 0
        has |= np.asarray(proj.offers[:, cols].sum(axis=1)).ravel() > 0
        mask &= has
    return mask


def _country_partners(proj: Projection, country: str | None) -> np.ndarray:
    """How many partners each organisation has in ``country`` (zeros without one)."""
    if not country:
        return np.zeros(len(proj.ids))

    def make() -> np.ndarray:
        countries = _attrs(proj)[1]
        return partner_counts_in(proj.co, countries == country)

    return proj._get(f"partners_in:{country}", make)


def _attrs(proj: Projection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Territory, country and kind of every row as arrays ("" when unknown), cached."""

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        def arr(values: list[str | None]) -> np.ndarray:
            return np.array([v or "" for v in values], dtype=object)

        return arr(proj.territory), arr(proj.country), arr(proj.kind)

    return proj._get("attr_arrays", make)


def score_parts(proj: Projection, query: Query) -> dict[str, np.ndarray]:
    """Raw (unscaled) score components of every row for ``query``.

    A newcomer gets no network components (it has no ties). Counts that grow without
    bound (Adamic–Adar, shared projects, activity, country ties) are on a log scale,
    ``log(1 + x)``, so one very large value does not flatten the others once scaled.
    A group (``query.group``) is scored as one node with the group's combined profile.
    """
    parts: dict[str, np.ndarray] = {}
    if query.group and query.row is not None:
        rows = query.rows
        weights = _group_weights(proj, rows)
        prox = group_proximity_scores(proj.co, rows, weights=weights)
        topics, offers, needs = _group_profile(proj, rows)
        parts["resource_allocation"] = prox["resource_allocation"]
        parts["adamic_adar"] = np.log1p(prox["adamic_adar"])
        parts["shared_projects"] = np.log1p(prox["shared_projects"])
        parts["paths"] = prox["paths"]
        parts["country_ties"] = np.log1p(_country_partners(proj, proj.country[query.row]))
        parts["bridging"] = group_bridging_scores(proj.co, proj.community, weights)
        parts["topics"] = cosine_scores(proj.topic_model, topics)
        parts["complementarity"] = complementarity_scores(proj.offers, proj.needs, offers, needs)
    elif query.row is not None:
        i = query.row
        prox = proximity_scores(proj.co, i)
        parts["resource_allocation"] = prox["resource_allocation"]
        parts["adamic_adar"] = np.log1p(prox["adamic_adar"])
        parts["shared_projects"] = np.log1p(prox["shared_projects"])
        parts["paths"] = prox["paths"]
        parts["country_ties"] = np.log1p(_country_partners(proj, proj.country[i]))
        parts["bridging"] = bridging_scores(proj.co, proj.community, i)
        parts["topics"] = cosine_scores(proj.topic_model, _row(proj.topic_model.matrix, i))
        parts["complementarity"] = complementarity_scores(
            proj.offers, proj.needs, _row(proj.offers, i), _row(proj.needs, i)
        )
    else:
        parts["topics"] = _newcomer_similarity(proj, query)
        need = np.zeros(len(proj.topic_ids))
        need[list(query.topic_cols)] = 1.0
        parts["complementarity"] = complementarity_scores(proj.offers, proj.needs, np.zeros_like(need), need)
    parts["activity"] = np.log1p(proj.project_count)
    return parts


def rank_scores(
    proj: Projection, query: Query, mask: np.ndarray, weights: Weights
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Raw parts, parts scaled over the candidates in ``mask``, and the combined score.

    A newcomer's candidates must match the described need (topic similarity or
    complementarity above 0): activity alone only orders the relevant ones. The weights
    are used as given (:func:`suggest` picks the newcomer defaults,
    :func:`graphsvc.algorithms.scoring.defaults_for`).
    """
    raw = score_parts(proj, query)
    scaled = {k: scale(v, mask) for k, v in raw.items()}
    score = combine(scaled, weights)
    if query.row is None:
        score[irrelevant(raw)] = 0.0
    return raw, scaled, score


def irrelevant(raw: Mapping[str, np.ndarray]) -> np.ndarray:
    """Rows a newcomer's need does not match (no topic similarity, no complementarity)."""
    return (raw["topics"] <= 0) & (raw["complementarity"] <= 0)


def _row(m: Any, i: int) -> np.ndarray:
    out = np.zeros(m.shape[1], dtype=np.float64)
    lo, hi = m.indptr[i], m.indptr[i + 1]
    out[m.indices[lo:hi]] = m.data[lo:hi]
    return out


def _newcomer_similarity(proj: Projection, query: Query) -> np.ndarray:
    sims: list[np.ndarray] = []
    if query.topic_cols:
        model = proj.topic_model
        sims.append(cosine_scores(model, model.vector({j: 1.0 for j in query.topic_cols})))
    words = list(query.words) + [w for j in query.topic_cols for w in tokens(proj.topic_name[j])]
    if words:
        vocab, model = proj.words
        counts: dict[int, float] = {}
        for w in words:
            if w in vocab:
                counts[vocab[w]] = counts.get(vocab[w], 0.0) + 1.0
        if counts:
            sims.append(cosine_scores(model, model.vector(counts)))
    if not sims:
        return np.zeros(len(proj.ids))
    return np.mean(sims, axis=0)


# -- the public entry point -----------------------------------------------------------


def suggest(
    graph: Graph | Projection,
    org_ref: str | None,
    *,
    topics: Sequence[str] | None = None,
    text: str | None = None,
    scope: str = "euroregion",
    territory: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    min_score: float = 0.0,
    limit: int = 10,
    as_of: int | None = None,
    weights: Weights | Mapping[str, float] | None = None,
) -> list[Suggestion]:
    """Suggest partners for an organisation, or for a newcomer's described need.

    Parameters
    ----------
    graph : Graph or Projection
        The graph (its cached projection as of ``as_of`` is used), or a projection.
    org_ref : str or None
        Organisation id, PIC or name; None for a newcomer (then give ``topics`` or ``text``).
    topics : list of str, optional
        Newcomer mode: topic ids or names describing the need.
    text : str, optional
        Newcomer mode: free text describing the need.
    scope : {'euroregion', 'abroad', 'any'}
        ``euroregion``: candidates in another territory of the Euroregion than the
        organisation (any territory for a newcomer); ``abroad``: in another country;
        ``any``: anywhere.
    territory, kind, topic : str, optional
        Keep candidates in this territory, of this kind, working on this topic.
    min_score : float
        Drop candidates scoring below this (scores are in [0, 1]).
    limit : int
        At most this many suggestions (1 to 200).
    as_of : int, optional
        Only projects started in or before this year count (ties, topics, activity).
    weights : Weights or mapping, optional
        Score weights (defaults: :data:`graphsvc.algorithms.scoring.DEFAULT_WEIGHTS`, and
        :data:`~graphsvc.algorithms.scoring.NEWCOMER_WEIGHTS` for a newcomer).

    Returns
    -------
    list of Suggestion, best first (ties broken by id).
    """
    scope = (scope or "euroregion").lower()
    if scope not in SCOPES:
        raise InvalidInput(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}", field="scope")
    if territory is not None:
        territory = territory.strip().upper() or None
        if territory and territory not in TERRITORIES:
            raise InvalidInput(
                f"unknown territory {territory!r}: use one of {', '.join(TERRITORIES)}", field="territory"
            )
    if kind is not None:
        kind = kind.strip().lower() or None
        if kind and kind not in KINDS:
            raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}", field="kind")
    try:
        limit = int(limit)
        min_score = float(min_score)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"limit and min_score must be numbers: {exc}", field="limit") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    if not (min_score >= 0.0):
        raise InvalidInput("min_score must be 0 or more", field="min_score")
    proj = graph if isinstance(graph, Projection) else projection(graph, as_of=as_of)
    if org_ref is not None and str(org_ref).strip():
        row = resolve(proj, str(org_ref))
        query = Query(row=row, group=tuple(combined_members(proj, row)))
    else:
        refs = [t for t in topics or [] if str(t).strip()]
        topic_cols = _topic_cols(proj, refs)
        words = tuple(tokens(text or ""))
        if not refs and not words:
            raise InvalidInput("name an organisation, or describe the need with topics or text", field="org")
        if not topic_cols and not words:
            return []  # topics of the graph that nobody here works on
        topic_cols = sorted(set(topic_cols) | set(_text_topics(proj, words)))
        query = Query(row=None, topic_cols=tuple(topic_cols), words=words)
    filter_cols = _topic_cols(proj, [topic]) if topic else []
    if topic and not filter_cols:
        return []  # a topic nobody works on here: no candidate does

    mask = candidate_mask(proj, query, scope=scope, territory=territory, kind=kind, topic_cols=filter_cols)
    w = defaults_for(query.newcomer, weights)
    raw, scaled, score = rank_scores(proj, query, mask, w)
    score[~mask] = -1.0
    order = np.argsort(-score, kind="stable")
    picked = [int(j) for j in order[: max(limit * 4, limit)] if score[j] > 0 and score[j] >= min_score][:limit]
    if not picked:
        return []
    explain = _Explainer(proj, query, raw, scaled, w)
    return [explain.suggestion(j, float(score[j])) for j in picked]


class _Explainer:
    """Builds the reasons and the introduction path of the picked candidates."""

    def __init__(
        self,
        proj: Projection,
        query: Query,
        raw: dict[str, np.ndarray],
        scaled: dict[str, np.ndarray],
        weights: Weights,
    ) -> None:
        self.proj = proj
        self.query = query
        self.raw = raw
        self.scaled = scaled
        self.weights = weights.normalised(raw.keys()).as_dict()
        self._pred: np.ndarray | None = None
        self._member_paths: dict[int, np.ndarray] = {}
        self._member_ties: dict[int, np.ndarray] = {}
        self._home: int | None = None
        if query.group and query.row is not None:
            self.source_weights = _group_weights(proj, query.rows)
            self.q_topics = _group_profile(proj, query.rows)[0]
        elif query.row is not None:
            self.source_weights = _row(proj.co.matrix, query.row)
            self.q_topics = _row(proj.topic_model.matrix, query.row)
        else:
            self.source_weights = np.zeros(len(proj.ids))
            model = proj.topic_model
            self.q_topics = model.vector({j: 1.0 for j in query.topic_cols})

    def _shared(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shared partners of the organisation and ``j``, with the weight of each one's
        tie to the organisation and to ``j``."""
        m = self.proj.co.matrix
        lo, hi = m.indptr[j], m.indptr[j + 1]
        nbrs, w_j = m.indices[lo:hi], m.data[lo:hi]
        keep = self.source_weights[nbrs] > 0
        return nbrs[keep], self.source_weights[nbrs[keep]], w_j[keep]

    def _member_for(self, z: int) -> int:
        """The combined member with the strongest tie to ``z`` (ties: the first listed)."""
        best, best_w = self.query.group[0], -1.0
        for m in self.query.group:
            if m not in self._member_ties:
                self._member_ties[m] = _row(self.proj.co.matrix, m)
            w = float(self._member_ties[m][z])
            if w > best_w:
                best, best_w = m, w
        return best

    def suggestion(self, j: int, score: float) -> Suggestion:
        p = self.proj
        reasons = self.reasons(j)
        intro_ids, intro, member = self.introduction(j)
        if intro:
            reason: dict[str, Any] = {"code": "introduction_path", "path": intro, "ids": intro_ids}
            if member is not None:  # the path starts at one of the combined members
                reason.update(member=p.name[member], member_id=p.ids[member])
            reasons.append(reason)
        parts = {k: round(float(self.scaled[k][j]), 4) for k in PARTS if k in self.scaled}
        return Suggestion(
            id=p.ids[j], pic=p.pic[j], name=p.name[j], territory=p.territory[j], country=p.country[j],
            kind=p.kind[j], score=round(score, 4), parts=parts, reasons=reasons,
            introduction=intro, introduction_ids=intro_ids,
        )

    def reasons(self, j: int) -> list[dict[str, Any]]:
        p, q = self.proj, self.query
        out: list[dict[str, Any]] = []
        if q.row is not None:
            shared, w_i, w_j = self._shared(j)
            if shared.size:
                strength = sorted(
                    (-(float(a) + float(b)), p.name[z], int(z))
                    for z, a, b in zip(shared.tolist(), w_i.tolist(), w_j.tolist(), strict=True)
                )
                reason: dict[str, Any] = {
                    "code": "shared_partners",
                    "count": int(shared.size),
                    "names": [s[1] for s in strength[:3]],
                    "ids": [p.ids[s[2]] for s in strength[:3]],
                }
                if q.group:  # which member works with each named partner, and how many members in all
                    members = [self._member_for(s[2]) for s in strength[:3]]
                    reason.update(members=[p.name[m] for m in members], member_ids=[p.ids[m] for m in members],
                                  member_count=len({self._member_for(int(z)) for z in shared.tolist()}))
                out.append(reason)
        if self.raw["topics"][j] > 0:
            # topics sharing a name (a field and a keyword) are one name to the reader
            firsts: dict[str, int] = {}
            for c in shared_terms(p.topic_model, self.q_topics, j, 6):
                firsts.setdefault(norm(p.topic_name[c]), c)
            cols = list(firsts.values())[:3]
            code = "matches_topics" if q.row is None else "shared_topics"
            if cols:
                out.append({"code": code, "names": [p.topic_name[c] for c in cols],
                            "ids": [p.topic_ids[c] for c in cols]})
            elif q.words:
                out.append({"code": code, "names": self._matching_words(j)})
        out.extend(self._complementary(j))
        # Three quarters or more of the organisation's ties lie outside the candidate's
        # community: the tie would open a new one.
        if q.row is not None and self.raw["bridging"][j] >= 0.75 and p.community[j] != self._home_community():
            out.append({"code": "bridges_communities", "share": round(1.0 - float(self.raw["bridging"][j]), 3)})
        n_proj = int(p.project_count[j])
        contribution = {k: self.weights.get(k, 0.0) * float(self.scaled[k][j]) for k in self.scaled}
        top = max(contribution.values(), default=0.0)
        # Partners in the organisation's country: said when it is a main part of the score,
        # and only of a candidate abroad (one in the same country trivially has them).
        if (q.row is not None and contribution.get("country_ties", 0) >= top * 0.5
                and p.country[j] != p.country[q.row]):
            ties = int(_country_partners(p, p.country[q.row])[j])
            if ties:
                out.append({"code": "country_ties", "count": ties, "country": p.country[q.row]})
        if n_proj and (not out or contribution.get("activity", 0) >= top * 0.5):
            out.append({"code": "active", "projects": n_proj})
        return out

    def _home_community(self) -> int:
        """The organisation's community; a group's is the one most of its ties lie in
        (worked out once per request)."""
        if self._home is None:
            q, p = self.query, self.proj
            assert q.row is not None
            if not q.group:
                self._home = int(p.community[q.row])
            else:
                nbrs = np.flatnonzero(self.source_weights > 0)
                comm = p.community[nbrs]
                keep = comm >= 0
                self._home = (int(np.bincount(comm[keep], weights=self.source_weights[nbrs][keep]).argmax())
                              if keep.any() else -1)
        return self._home

    def _matching_words(self, j: int) -> list[str]:
        vocab, model = self.proj.words
        row = set(_cols(model.matrix, j))
        return [w for w in dict.fromkeys(self.query.words) if vocab.get(w) in row][:3]

    def _complementary(self, j: int) -> list[dict[str, Any]]:
        p, q = self.proj, self.query
        out: list[dict[str, Any]] = []
        if q.row is not None:
            my_needs = {t for r in q.rows for t in _cols(p.needs, r)}
            my_offers = {t for r in q.rows for t in _cols(p.offers, r)}
        else:
            my_needs = set(q.topic_cols)
            my_offers = set()
        their_offers = set(_cols(p.offers, j))
        their_needs = set(_cols(p.needs, j))
        for t in sorted(my_needs & their_offers)[:2]:
            cap = _capacity_on(p, j, t)
            out.append({"code": "offers_capacity", "kind": cap.get("kind"), "title": cap.get("title"),
                        "topic": p.topic_name[t], "topic_id": p.topic_ids[t]})
        if q.row is not None:
            for t in sorted(my_offers & their_needs)[:2]:
                cap = next((c for c in (_capacity_on(p, r, t) for r in q.rows) if c), {})
                out.append({"code": "needs_capacity", "kind": cap.get("kind"), "title": cap.get("title"),
                            "topic": p.topic_name[t], "topic_id": p.topic_ids[t]})
        return out

    def introduction(self, j: int) -> tuple[list[str], list[str], int | None]:
        """Intermediaries on a shortest path from the organisation to ``j``, and for a
        group the member the path starts at (None otherwise).

        Through the strongest shared partner when there is one (two hops); otherwise the
        first shortest path breadth-first search finds (for a group: the shortest of its
        members' paths, the first member listed on a tie).
        """
        p, q = self.proj, self.query
        if q.row is None:
            return [], [], None
        shared, w_i, w_j = self._shared(j)
        if shared.size:
            best = min(
                zip(shared.tolist(), w_i.tolist(), w_j.tolist(), strict=True),
                key=lambda t: (-(t[1] * t[2]), p.name[t[0]]),
            )[0]
            return [p.ids[best]], [p.name[best]], (self._member_for(best) if q.group else None)
        if not q.group:
            if self._pred is None:
                _, self._pred = csgraph.breadth_first_order(
                    p.co.matrix, q.row, directed=False, return_predecessors=True
                )
            path = _path_to(self._pred, q.row, j)
            return [p.ids[z] for z in path or []], [p.name[z] for z in path or []], None
        found: tuple[list[int], int] | None = None
        for m in q.group:
            if m not in self._member_paths:
                self._member_paths[m] = csgraph.breadth_first_order(
                    p.co.matrix, m, directed=False, return_predecessors=True
                )[1]
            path = _path_to(self._member_paths[m], m, j)
            if path is not None and (found is None or len(path) < len(found[0])):
                found = (path, m)
        if found is None:
            return [], [], None
        return [p.ids[z] for z in found[0]], [p.name[z] for z in found[0]], found[1]


def _path_to(pred: np.ndarray, source: int, j: int) -> list[int] | None:
    """The intermediaries from ``source`` to ``j`` in a breadth-first predecessor array
    (None when unreachable or longer than the path shown)."""
    if pred[j] < 0:
        return None
    path: list[int] = []
    k = int(pred[j])
    while k != source and k >= 0 and len(path) <= _MAX_PATH:
        path.append(k)
        k = int(pred[k])
    if k != source:
        return None
    path.reverse()
    return path


def _cols(m: Any, i: int) -> list[int]:
    return m.indices[m.indptr[i] : m.indptr[i + 1]].tolist()


def _capacity_on(proj: Projection, row: int, topic_col: int) -> dict[str, Any]:
    tid = proj.topic_ids[topic_col]
    for c in proj.capacities.get(row, []):
        if tid in c["topics"]:
            return c
    return {}


def warm_up(graph: Graph) -> int:
    """Build and cache what the first suggestion request would otherwise pay for: the
    projection, its communities and topic models. Returns the number of organisations.

    Called in the background when the web app is served, so the first visitors of an
    organisation page do not wait for it.
    """
    proj = projection(graph)
    if proj.ids:
        suggest(proj, proj.ids[0], limit=1)
        try:
            suggest(proj, None, text="innovation", limit=1)
        except LoturaError:  # a graph with no topic of that name: nothing more to warm
            pass
    return len(proj.ids)
