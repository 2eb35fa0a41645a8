"""Skills gaps per territory: topics needed in one territory and offered only across
the border.

A topic is *offered* in a territory when an organisation there has a capacity covering
it (or, when project topics are passed as offers too, worked on it in a project). A
gap of territory T is a topic some organisation of T needs, that nobody in T offers and
that someone in another territory of the Euroregion does: the partner is across the
border.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from graphsvc.regions import TERRITORIES

__all__ = ["skills_gaps"]


def skills_gaps(
    needs: Mapping[Hashable, Iterable[Hashable]],
    offers: Mapping[Hashable, Iterable[Hashable]],
    territory: Mapping[Hashable, str | None],
    territories: Sequence[str] = TERRITORIES,
) -> list[dict[str, Any]]:
    """The skills gaps of each territory.

    Parameters
    ----------
    needs : mapping org -> topics
        Topics each organisation needs.
    offers : mapping org -> topics
        Topics each organisation offers.
    territory : mapping org -> territory code or None
    territories : sequence of str
        The territories of the Euroregion.

    Returns
    -------
    list of {"territory", "topic", "needed_by": [orgs], "offered_by": [orgs],
    "offered_in": [territories]}, by territory, then most needed first, then topic.

    Examples
    --------
    Euskadi needs film and nobody there offers it; Nouvelle-Aquitaine does. Navarre's
    need for music is offered at home, so it is no gap:

    >>> needs = {"eus": {"film"}, "nav": {"music"}}
    >>> offers = {"fri": {"film"}, "nav2": {"music"}}
    >>> terr = {"eus": "ES21", "nav": "ES22", "nav2": "ES22", "fri": "FRI"}
    >>> skills_gaps(needs, offers, terr)
    [{'territory': 'ES21', 'topic': 'film', 'needed_by': ['eus'], 'offered_by': ['fri'], 'offered_in': ['FRI']}]
    """
    offered_in: dict[Hashable, dict[str, list[Hashable]]] = {}
    for org, topics in offers.items():
        t = territory.get(org)
        if t not in territories:
            continue
        for topic in topics:
            offered_in.setdefault(topic, {}).setdefault(t, []).append(org)
    needed: dict[tuple[str, Hashable], list[Hashable]] = {}
    for org, topics in needs.items():
        t = territory.get(org)
        if t not in territories:
            continue
        for topic in topics:
            needed.setdefault((t, topic), []).append(org)
    out: list[dict[str, Any]] = []
    for (t, topic), orgs in needed.items():
        where = offered_in.get(topic, {})
        if t in where or not where:
            continue
        across = sorted(where)
        out.append({
            "territory": t,
            "topic": topic,
            "needed_by": sorted(orgs, key=str),
            "offered_by": sorted((o for x in across for o in where[x]), key=str),
            "offered_in": across,
        })
    out.sort(key=lambda r: (list(territories).index(r["territory"]), -len(r["needed_by"]), str(r["topic"])))
    return out
