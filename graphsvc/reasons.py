"""Render the structured reasons of a partner suggestion in the user's language.

A suggestion carries its reasons as data (``{"code": "shared_partners", "count": 3,
"names": [...]}``) so the web app, the JSON API and the CLI each present them their own
way. :func:`render_reason` turns one into a sentence with the translation functions it
is given: the web app passes Flask-Babel's ``gettext``/``ngettext``, the CLI passes
identity functions (English). The messages are written as literal ``gettext(...)`` and
``ngettext(...)`` calls with named placeholders so that ``pybabel extract`` finds them.

Reason codes
------------
``shared_partners``     count, names, ids: partners both already work with; for an umbrella
                        organisation suggested for with its members, also members,
                        member_ids: the member working with each named partner, and
                        member_count: how many members work with the shared partners
``shared_topics``       names: topics both work on (the most distinctive first)
``matches_topics``      names: topics of a described need the candidate works on
``offers_capacity``     kind, topic, title: the candidate offers a capacity on a topic you need
``needs_capacity``      kind, topic, title: the candidate needs a topic you offer a capacity on
``bridges_communities`` share: the tie reaches a community you have few ties into
``active``              projects: the candidate's number of projects
``country_ties``        count, country: the candidate's partners in your country already
``introduction_path``   path, ids: who could introduce you (intermediaries, in order); for an
                        umbrella, also member, member_id: the member the path starts at
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["render_reason", "render_reasons", "identity_gettext", "identity_ngettext", "CODES"]

CODES = (
    "shared_partners",
    "shared_topics",
    "matches_topics",
    "offers_capacity",
    "needs_capacity",
    "bridges_communities",
    "active",
    "country_ties",
    "introduction_path",
)

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def identity_gettext(message: str) -> str:
    """The untranslated (English) message: the CLI's ``gettext``."""
    return message


def identity_ngettext(singular: str, plural: str, n: int) -> str:
    """The untranslated (English) singular or plural: the CLI's ``ngettext``."""
    return singular if n == 1 else plural


def _names(values: Sequence[Any] | None) -> str:
    return ", ".join(str(v) for v in (values or []) if v)


def _capacity_kind(kind: str | None, gettext: Gettext) -> str:
    # One literal call per kind so that each is extracted for translation.
    if kind == "training":
        return gettext("training")
    if kind == "research":
        return gettext("research")
    if kind == "transfer":
        return gettext("transfer")
    return kind or ""


def render_reason(reason: Mapping[str, Any], gettext: Gettext, ngettext: Ngettext) -> str:
    """One reason as a sentence, translated with ``gettext`` and ``ngettext``.

    Parameters
    ----------
    reason : mapping
        A structured reason (see the module docstring for the codes).
    gettext, ngettext : callables
        Translation functions (Flask-Babel's in the web app, identities in the CLI).

    Returns
    -------
    str

    Examples
    --------
    >>> g, ng = identity_gettext, identity_ngettext
    >>> render_reason({"code": "shared_partners", "count": 2, "names": ["Tecnalia", "CNRS"]}, g, ng)
    'shares 2 partners with you: Tecnalia, CNRS'
    >>> render_reason({"code": "country_ties", "count": 4, "country": "ES"}, g, ng)
    'already works with 4 organisations in your country'
    >>> render_reason({"code": "introduction_path", "path": ["Tecnalia"]}, g, ng)
    'Tecnalia could introduce you'
    >>> render_reason({"code": "introduction_path", "path": ["UPV/EHU"], "member": "Faculty of Engineering"}, g, ng)
    'UPV/EHU could introduce you through Faculty of Engineering'
    >>> render_reason({"code": "shared_partners", "count": 1, "names": ["CNRS"], "members": ["Faculty of Engineering"]},
    ...               g, ng)
    'shares 1 partner with your member Faculty of Engineering: CNRS'
    >>> render_reason({"code": "shared_partners", "count": 2, "names": ["CNRS", "CEA"], "members": ["Arts", "Law"]},
    ...               g, ng)
    'shares 2 partners with your members: CNRS (with Arts), CEA (with Law)'
    >>> render_reason({"code": "offers_capacity", "kind": "training", "topic": "virtual production"}, g, ng)
    'offers training capacity on virtual production, which you need'
    """
    code = reason.get("code")
    if code == "shared_partners":
        n = int(reason.get("count") or len(reason.get("names") or []))
        names = _names(reason.get("names"))
        members = reason.get("members") or []
        if names and members and len(set(members)) == 1 and int(reason.get("member_count") or 1) == 1:
            return ngettext(
                "shares %(num)d partner with your member %(member)s: %(names)s",
                "shares %(num)d partners with your member %(member)s: %(names)s",
                n,
            ) % {"num": n, "member": members[0], "names": names}
        if names and members:
            named = [gettext("%(partner)s (with %(member)s)") % {"partner": z, "member": m} if m else str(z)
                     for z, m in zip(reason.get("names") or [], members, strict=False) if z]
            return ngettext(
                "shares %(num)d partner with your members: %(names)s",
                "shares %(num)d partners with your members: %(names)s",
                n,
            ) % {"num": n, "names": ", ".join(named)}
        if names:
            return ngettext(
                "shares %(num)d partner with you: %(names)s",
                "shares %(num)d partners with you: %(names)s",
                n,
            ) % {"num": n, "names": names}
        return ngettext("shares %(num)d partner with you", "shares %(num)d partners with you", n) % {"num": n}
    if code == "shared_topics":
        return gettext("works on the same topics: %(topics)s") % {"topics": _names(reason.get("names"))}
    if code == "matches_topics":
        return gettext("works on what you described: %(topics)s") % {"topics": _names(reason.get("names"))}
    if code == "offers_capacity":
        if not reason.get("kind"):
            return gettext("offers a capacity on %(topic)s, which you need") % {"topic": reason.get("topic") or ""}
        return gettext("offers %(kind)s capacity on %(topic)s, which you need") % {
            "kind": _capacity_kind(reason.get("kind"), gettext),
            "topic": reason.get("topic") or "",
        }
    if code == "needs_capacity":
        if not reason.get("kind"):
            return gettext("needs %(topic)s, on which you offer a capacity") % {"topic": reason.get("topic") or ""}
        return gettext("needs %(topic)s, on which you offer %(kind)s capacity") % {
            "kind": _capacity_kind(reason.get("kind"), gettext),
            "topic": reason.get("topic") or "",
        }
    if code == "bridges_communities":
        return gettext("would connect you with a community you have few ties with")
    if code == "active":
        n = int(reason.get("projects") or 0)
        return ngettext("has taken part in %(num)d project", "has taken part in %(num)d projects", n) % {"num": n}
    if code == "country_ties":
        n = int(reason.get("count") or 0)
        return ngettext(
            "already works with %(num)d organisation in your country",
            "already works with %(num)d organisations in your country",
            n,
        ) % {"num": n}
    if code == "introduction_path":
        path = [str(p) for p in reason.get("path") or [] if p]
        member = reason.get("member")
        if member and len(path) == 1:
            return gettext("%(name)s could introduce you through %(member)s") % {"name": path[0], "member": member}
        if member and path:
            return gettext("could be introduced through %(path)s, starting from %(member)s") % {
                "path": " → ".join(path), "member": member}
        if len(path) == 1:
            return gettext("%(name)s could introduce you") % {"name": path[0]}
        if path:
            return gettext("could be introduced through %(path)s") % {"path": " → ".join(path)}
        return gettext("no one in the network could introduce you yet")
    return gettext("other reason: %(code)s") % {"code": str(code)}


def render_reasons(
    reasons: Sequence[Mapping[str, Any]],
    gettext: Gettext = identity_gettext,
    ngettext: Ngettext = identity_ngettext,
) -> list[str]:
    """Every reason rendered, in order (English by default).

    >>> render_reasons([{"code": "active", "projects": 1}, {"code": "bridges_communities"}])
    ['has taken part in 1 project', 'would connect you with a community you have few ties with']
    """
    return [render_reason(r, gettext, ngettext) for r in reasons]
