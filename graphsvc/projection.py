"""The one module that turns the Neo4j graph into inputs for the algorithms.

:func:`fetch` reads organisations, projects (with participants, start year and topics),
topics, capacities, needs and memberships between organisations in six queries; :func:`project` builds a
:class:`Projection` from that data, filtered by time (``as_of``: only projects started
in or before that year), territory and kind:

- the organisation–project **bipartite** graph (:meth:`Projection.bipartite`),
- its weighted **co-participation** projection, the weight of a tie being the number of
  shared projects (:attr:`Projection.co` as a sparse matrix, and
  :meth:`Projection.coparticipation` as a networkx graph),
- the **organisation–topic** graph (:attr:`Projection.topic_counts`,
  :meth:`Projection.org_topic`), with capacities offered and topics needed.

Both are cached in-process, keyed by the graph's ``Meta`` stamp (version and the time
it changed, which every load bumps) and the filters, so a load invalidates them. A graph
without a ``Meta`` stamp is never cached.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphsvc.algorithms.communities import louvain_sparse
from graphsvc.algorithms.similarity import TfIdf, tfidf, tokens
from graphsvc.algorithms.sparse import SparseGraph
from graphsvc.db import Graph
from graphsvc.errors import InvalidInput
from graphsvc.regions import TERRITORIES
from graphsvc.topics import TopicIndex

__all__ = ["GraphData", "Projection", "fetch", "project", "projection", "topic_index", "clear_cache", "KINDS"]

KINDS = ("university", "research", "company", "public", "vet", "cluster", "other")
ORG_FIELDS = ("id", "name", "short_name", "kind", "territory", "country", "pic", "aliases", "community", "is_example")
# Above this many co-participation ties, Louvain runs on the organisations with two
# projects or more and the others join their partners' community (see communities.py).
LOUVAIN_CORE_ABOVE = 150_000
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class ProjectRow:
    id: str
    year: int | None
    acronym: str | None
    orgs: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class GraphData:
    """What the projections need from the graph, as plain data (no filters applied)."""

    orgs: list[dict[str, Any]]
    projects: list[ProjectRow]
    topics: dict[str, tuple[str, str | None]]  # id -> (name, kind)
    capacities: list[dict[str, Any]]  # org, id, kind, title, topics, example
    needs: list[tuple[str, str]]  # (org, topic)
    stamp: tuple[Any, Any] = (None, None)
    example_needs: frozenset[tuple[str, str]] = frozenset()  # needs marked as curated examples
    memberships: tuple[tuple[str, str], ...] = ()  # (member, umbrella): MEMBER_OF between organisations

    @classmethod
    def build(
        cls,
        orgs: Iterable[dict[str, Any]],
        projects: Iterable[dict[str, Any]],
        topics: Iterable[dict[str, Any]] = (),
        capacities: Iterable[dict[str, Any]] = (),
        needs: Iterable[tuple[str, str]] = (),
        stamp: tuple[Any, Any] = (None, None),
        example_needs: Iterable[tuple[str, str]] = (),
        memberships: Iterable[tuple[str, str]] = (),
    ) -> GraphData:
        """Plain data from rows shaped like the projection queries' records."""
        return cls(
            orgs=[{k: o.get(k) for k in ORG_FIELDS} for o in orgs],
            projects=[
                ProjectRow(
                    str(p["id"]),
                    int(p["year"]) if p.get("year") is not None else None,
                    p.get("acronym"),
                    tuple(p.get("orgs") or ()),
                    tuple(p.get("topics") or ()),
                )
                for p in projects
            ],
            topics={t["id"]: (t.get("name") or t["id"], t.get("kind")) for t in topics},
            capacities=[
                {"org": c["org"], "id": c["id"], "kind": c.get("kind"), "title": c.get("title"),
                 "topics": list(c.get("topics") or []), "example": bool(c.get("is_example"))}
                for c in capacities
            ],
            needs=[(a, b) for a, b in needs],
            stamp=stamp,
            example_needs=frozenset((a, b) for a, b in example_needs),
            memberships=tuple((str(m), str(u)) for m, u in memberships),
        )


def fetch(graph: Graph) -> GraphData:
    """Read everything the projections need (cached by the graph's stamp)."""
    stamp = graph.stamp()
    return _cached(graph, ("data", stamp), stamp, lambda: _fetch(graph, stamp))


def _fetch(graph: Graph, stamp: tuple[Any, Any]) -> GraphData:
    needs = graph.read("projection/needs")
    return GraphData.build(
        orgs=graph.read("projection/organisations"),
        projects=graph.read("projection/projects"),
        topics=graph.read("projection/topics"),
        capacities=graph.read("projection/capacities"),
        needs=[(r["org"], r["topic"]) for r in needs],
        stamp=stamp,
        example_needs=[(r["org"], r["topic"]) for r in needs if r.get("is_example")],
        memberships=[(r["member"], r["umbrella"]) for r in graph.read("projection/memberships")],
    )


# -- the in-process cache --------------------------------------------------------------

_LOCK = threading.RLock()
_CACHE: weakref.WeakKeyDictionary[Graph, OrderedDict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()
_MAX_ENTRIES = 8


def _cached(graph: Graph, key: tuple[Any, ...], stamp: tuple[Any, Any], make: Callable[[], T]) -> T:
    if stamp[0] is None:  # no Meta node: nothing tells us when the graph changes
        return make()
    with _LOCK:
        entries = _CACHE.setdefault(graph, OrderedDict())
        if key in entries:
            entries.move_to_end(key)
            return entries[key]  # type: ignore[no-any-return]
        # Entries of an older stamp can never be used again.
        for old in [k for k in entries if k[1] != stamp]:
            del entries[old]
        value = make()
        entries[key] = value
        while len(entries) > _MAX_ENTRIES:
            entries.popitem(last=False)
        return value


def topic_index(graph: Graph) -> TopicIndex:
    """Every topic of the graph by id and name (one light query, cached by the stamp):
    for look-ups that need no projection, such as the directory's topic filter."""
    stamp = graph.stamp()
    return _cached(graph, ("topics", stamp), stamp,
                   lambda: TopicIndex((r["id"], r["name"]) for r in graph.read("projection/topics")))


def clear_cache() -> None:
    """Forget every cached projection (tests; a load bumps the stamp anyway)."""
    with _LOCK:
        _CACHE.clear()


# -- the projection ---------------------------------------------------------------------


def _check_filters(
    as_of: int | None, territories: Sequence[str] | None, kinds: Sequence[str] | None
) -> tuple[int | None, tuple[str, ...] | None, tuple[str, ...] | None]:
    if as_of is not None:
        try:
            as_of = int(as_of)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"as_of must be a year, not {as_of!r}", field="as_of") from exc
        if not 1900 <= as_of <= 2100:
            raise InvalidInput(f"as_of must be a year, not {as_of}", field="as_of")
    terr = None
    if territories:
        terr = tuple(sorted({str(t).upper() for t in territories}))
        bad = [t for t in terr if t not in TERRITORIES]
        if bad:
            raise InvalidInput(f"unknown territory {bad[0]!r}: use one of {', '.join(TERRITORIES)}", field="territory")
    kind_t = None
    if kinds:
        kind_t = tuple(sorted({str(k).lower() for k in kinds}))
        bad = [k for k in kind_t if k not in KINDS]
        if bad:
            raise InvalidInput(f"unknown kind {bad[0]!r}: use one of {', '.join(KINDS)}", field="kind")
    return as_of, terr, kind_t


def project(
    data: GraphData,
    *,
    as_of: int | None = None,
    territories: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
) -> Projection:
    """Build the projection of ``data`` (pure; no cache)."""
    as_of, terr, kind_t = _check_filters(as_of, territories, kinds)
    return Projection(data, as_of=as_of, territories=terr, kinds=kind_t)


def projection(
    graph: Graph,
    *,
    as_of: int | None = None,
    territories: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
) -> Projection:
    """The projection of the graph, from the cache when the graph has not changed."""
    as_of, terr, kind_t = _check_filters(as_of, territories, kinds)
    stamp = graph.stamp()

    def make() -> Projection:
        data = _cached(graph, ("data", stamp), stamp, lambda: _fetch(graph, stamp))
        return Projection(data, as_of=as_of, territories=terr, kinds=kind_t)

    return _cached(graph, ("projection", stamp, as_of, terr, kind_t), stamp, make)


@dataclass(eq=False)
class Projection:
    """Organisations (rows), their projects, ties and topics, as arrays and matrices.

    Row ``i`` of every matrix is organisation ``ids[i]``; node attributes are in the
    parallel lists ``name``, ``kind``, ``territory``, ``country``, ``pic``.
    """

    data: GraphData
    as_of: int | None = None
    territories: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    _lazy: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        orgs = [
            o for o in self.data.orgs
            if (not self.territories or o.get("territory") in self.territories)
            and (not self.kinds or o.get("kind") in self.kinds)
        ]
        self.ids: list[str] = [o["id"] for o in orgs]
        self.index: dict[str, int] = {x: i for i, x in enumerate(self.ids)}
        self.name: list[str] = [o.get("name") or o.get("short_name") or o["id"] for o in orgs]
        self.short_name: list[str | None] = [o.get("short_name") for o in orgs]
        self.kind: list[str | None] = [o.get("kind") for o in orgs]
        self.territory: list[str | None] = [o.get("territory") for o in orgs]
        self.country: list[str | None] = [o.get("country") for o in orgs]
        self.pic: list[str | None] = [str(o["pic"]) if o.get("pic") is not None else None for o in orgs]
        # Curated placeholders (is_example): never suggested, nobody to contact.
        self.example: np.ndarray = np.array([bool(o.get("is_example")) for o in orgs], dtype=bool)
        # Ids of records entity resolution merged into an organisation keep naming it.
        self.alias: dict[str, int] = {
            a: i for i, o in enumerate(orgs) for a in (o.get("aliases") or []) if a not in self.index
        }
        n = len(self.ids)
        # Members of each organisation (a university's faculties), by row; both in this projection.
        self.members: dict[int, list[int]] = {}
        for m, u in self.data.memberships:
            if m in self.index and u in self.index and m != u:
                self.members.setdefault(self.index[u], []).append(self.index[m])

        projects = [
            p for p in self.data.projects
            if self.as_of is None or (p.year is not None and p.year <= self.as_of)
        ]
        rows: list[int] = []
        cols: list[int] = []
        kept: list[ProjectRow] = []
        for p in projects:
            members = sorted({self.index[o] for o in p.orgs if o in self.index})
            if not members:
                continue
            j = len(kept)
            kept.append(p)
            rows.extend(members)
            cols.extend([j] * len(members))
        self.projects: list[ProjectRow] = kept
        self.project_index: dict[str, int] = {p.id: j for j, p in enumerate(kept)}
        self.incidence = sp.csr_array(
            (np.ones(len(rows)), (rows, cols)), shape=(n, len(kept)), dtype=np.float64
        )
        self.project_count = np.asarray(self.incidence.sum(axis=1)).ravel()
        co = sp.csr_array(self.incidence @ self.incidence.T)
        co.setdiag(0)
        co.eliminate_zeros()
        co.sort_indices()
        self.co = SparseGraph(self.ids, sp.csr_array(co))

        # Topics: those of the kept projects, of capacities and of needs.
        topic_ids: dict[str, int] = {}
        p_topic_rows: list[int] = []
        p_topic_cols: list[int] = []
        for j, p in enumerate(kept):
            for t in p.topics:
                p_topic_rows.append(j)
                p_topic_cols.append(topic_ids.setdefault(t, len(topic_ids)))
        self.capacities: dict[int, list[dict[str, Any]]] = {}
        o_rows: list[int] = []
        o_cols: list[int] = []
        for c in self.data.capacities:
            i = self.index.get(c["org"])
            if i is None:
                continue
            self.capacities.setdefault(i, []).append(c)
            for t in c["topics"]:
                o_rows.append(i)
                o_cols.append(topic_ids.setdefault(t, len(topic_ids)))
        n_rows: list[int] = []
        n_cols: list[int] = []
        for org, t in self.data.needs:
            i = self.index.get(org)
            if i is None:
                continue
            n_rows.append(i)
            n_cols.append(topic_ids.setdefault(t, len(topic_ids)))
        k = len(topic_ids)
        self.topic_ids: list[str] = list(topic_ids)
        self.topic_index = topic_ids
        self.topic_name: list[str] = [self.data.topics.get(t, (t, None))[0] for t in self.topic_ids]
        project_topics = sp.csr_array(
            (np.ones(len(p_topic_rows)), (p_topic_rows, p_topic_cols)), shape=(len(kept), k)
        )
        self.offers = _binary(o_rows, o_cols, (n, k))
        self.needs = _binary(n_rows, n_cols, (n, k))
        # Profile counts: projects about the topic, plus one per capacity covering it.
        caps = sp.csr_array((np.ones(len(o_rows)), (o_rows, o_cols)), shape=(n, k))
        self.topic_counts = sp.csr_array(self.incidence @ project_topics + caps)

    # -- derived models, computed on first use ---------------------------------------
    def _get(self, key: str, make: Callable[[], T]) -> T:
        if key not in self._lazy:
            self._lazy[key] = make()
        return self._lazy[key]  # type: ignore[no-any-return]

    @property
    def topics(self) -> TopicIndex:
        """Every topic of the graph by id and name (:mod:`graphsvc.topics`), so that a
        name means here what it means on the web pages; only some have a column
        (:attr:`topic_index`: those this projection's projects, capacities and needs use)."""

        def make() -> TopicIndex:
            names = {t: name for t, (name, _) in self.data.topics.items()}
            names.update(zip(self.topic_ids, self.topic_name, strict=True))
            return TopicIndex(names.items())

        return self._get("topics", make)

    @property
    def topic_model(self) -> TfIdf:
        """TF-IDF of the organisations' topic profiles."""
        return self._get("topic_model", lambda: tfidf(self.topic_counts))

    @property
    def words(self) -> tuple[dict[str, int], TfIdf]:
        """Word vocabulary and TF-IDF of the words of each organisation's topics and
        capacity titles (for free-text needs)."""

        def make() -> tuple[dict[str, int], TfIdf]:
            vocab: dict[str, int] = {}
            tw_rows: list[int] = []
            tw_cols: list[int] = []
            for j, name in enumerate(self.topic_name):
                for w in set(tokens(name)):
                    tw_rows.append(j)
                    tw_cols.append(vocab.setdefault(w, len(vocab)))
            c_rows: list[int] = []
            c_cols: list[int] = []
            for i, caps in self.capacities.items():
                for c in caps:
                    for w in tokens(c.get("title") or ""):
                        c_rows.append(i)
                        c_cols.append(vocab.setdefault(w, len(vocab)))
            n, k, width = len(self.ids), len(self.topic_ids), max(len(vocab), 1)
            topic_words = sp.csr_array((np.ones(len(tw_rows)), (tw_rows, tw_cols)), shape=(k, width))
            titles = sp.csr_array((np.ones(len(c_rows)), (c_rows, c_cols)), shape=(n, width))
            return vocab, tfidf(sp.csr_array(self.topic_counts @ topic_words + titles))

        return self._get("words", make)

    @property
    def community(self) -> np.ndarray:
        """Seeded Louvain community of each organisation (by row)."""

        def make() -> np.ndarray:
            if len(self.ids) == 0:
                return np.zeros(0, dtype=np.int64)
            stored = self._stored_communities()
            if stored is not None:
                return stored
            core = None
            if self.co.matrix.nnz // 2 > LOUVAIN_CORE_ABOVE:
                core = self.project_count >= 2
            return louvain_sparse(self.co, core=core)

        return self._get("community", make)

    def _stored_communities(self) -> np.ndarray | None:
        """The communities ``lotura analyse`` wrote, when they describe this projection:
        the whole graph (no time, territory or kind filter) and every organisation with
        a tie has one (a load after the analysis adds organisations without)."""
        if self.as_of is not None or self.territories or self.kinds:
            return None
        values = [o.get("community") for o in self.data.orgs]
        has_tie = self.co.degree() > 0
        if any(v is None for v, tie in zip(values, has_tie, strict=True) if tie):
            return None
        return np.array([int(v) if v is not None else -1 for v in values], dtype=np.int64)

    def org_topics(self, i: int) -> set[int]:
        """Topic columns in organisation ``i``'s profile."""
        lo, hi = self.topic_counts.indptr[i], self.topic_counts.indptr[i + 1]
        return set(self.topic_counts.indices[lo:hi].tolist())

    def attrs(self, i: int) -> dict[str, Any]:
        return {
            "id": self.ids[i], "name": self.name[i], "kind": self.kind[i],
            "territory": self.territory[i], "country": self.country[i], "pic": self.pic[i],
        }

    # -- networkx views -----------------------------------------------------------------
    def coparticipation(self) -> nx.Graph:
        """The weighted co-participation graph (``weight`` = shared projects)."""

        def make() -> nx.Graph:
            g = nx.Graph()
            g.add_nodes_from((self.ids[i], self.attrs(i)) for i in range(len(self.ids)))
            m = sp.triu(self.co.matrix, k=1).tocoo()
            g.add_weighted_edges_from(
                (self.ids[a], self.ids[b], float(w)) for a, b, w in zip(m.row, m.col, m.data, strict=True)
            )
            return g

        return self._get("nx_co", make)

    def bipartite(self) -> nx.Graph:
        """Organisation–project graph; project nodes carry ``bipartite=1`` and ``year``."""

        def make() -> nx.Graph:
            g = nx.Graph()
            g.add_nodes_from((self.ids[i], {**self.attrs(i), "bipartite": 0}) for i in range(len(self.ids)))
            g.add_nodes_from(
                (p.id, {"bipartite": 1, "year": p.year, "acronym": p.acronym}) for p in self.projects
            )
            m = self.incidence.tocoo()
            g.add_edges_from((self.ids[a], self.projects[b].id) for a, b in zip(m.row, m.col, strict=True))
            return g

        return self._get("nx_bip", make)

    def org_topic(self) -> nx.Graph:
        """Organisation–topic graph (``weight`` = projects and capacities on the topic)."""

        def make() -> nx.Graph:
            g = nx.Graph()
            g.add_nodes_from((self.ids[i], {**self.attrs(i), "bipartite": 0}) for i in range(len(self.ids)))
            g.add_nodes_from(
                (t, {"bipartite": 1, "name": self.topic_name[j]}) for j, t in enumerate(self.topic_ids)
            )
            m = self.topic_counts.tocoo()
            g.add_weighted_edges_from(
                (self.ids[a], self.topic_ids[b], float(w)) for a, b, w in zip(m.row, m.col, m.data, strict=True)
            )
            return g

        return self._get("nx_topic", make)


def _binary(rows: list[int], cols: list[int], shape: tuple[int, int]) -> sp.csr_array:
    m = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.data = np.minimum(m.data, 1.0)
    return m
