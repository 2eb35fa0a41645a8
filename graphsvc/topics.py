"""Topics as people name them: one rule for every look-up.

A topic is named by its id (``esv:58525161``, ``kw:sensors``), which means that topic
alone, or by its name, compared without case, accents or extra spaces, which means
every topic of that name: a euroSciVoc field and a keyword are often both called
"sensors", and an organisation working on either works on sensors. The partner finder,
``lotura suggest``, the directory's topic filter and topic maps all read names so.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.errors import NotFound
from graphsvc.text import norm

__all__ = ["TopicMatch", "TopicIndex"]


@dataclass(frozen=True)
class TopicMatch:
    """What a topic reference names.

    ``ids``: the topics meant (one for an id, every topic of the name otherwise);
    ``name``: the name to show; ``ref``: how to refer to the same topics again (the id
    when an id was given, the stored name otherwise), for links and cache keys.
    """

    ids: tuple[str, ...]
    name: str
    ref: str


class TopicIndex:
    """Topics by id and by folded name, for :meth:`find` and :meth:`resolve`.

    >>> index = TopicIndex([("esv:1", "sensors"), ("kw:sensors", "Sensors"), ("kw:2", "énergie")])
    >>> index.resolve("SENSORS").ids
    ('esv:1', 'kw:sensors')
    >>> index.resolve("kw:sensors").ids
    ('kw:sensors',)
    >>> index.resolve(" Energie ").name
    'énergie'
    """

    def __init__(self, topics: Iterable[tuple[str, str | None]]) -> None:
        self.names: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for topic_id, name in topics:
            shown = name or topic_id
            self.names[topic_id] = shown
            self.by_name.setdefault(norm(shown), []).append(topic_id)
        for ids in self.by_name.values():
            ids.sort()

    def __len__(self) -> int:
        return len(self.names)

    def find(self, text: str) -> TopicMatch | None:
        """The topics ``text`` names, or None."""
        ref = text.strip()
        if ref in self.names:
            return TopicMatch((ref,), self.names[ref], ref)
        ids = self.by_name.get(norm(ref))
        if not ids:
            return None
        # Show the spelling typed when a topic has it, else the first topic's.
        shown = next((self.names[i] for i in ids if self.names[i] == ref), self.names[ids[0]])
        return TopicMatch(tuple(ids), shown, shown)

    def near(self, text: str, n: int = 5) -> list[str]:
        """Names close to ``text`` (for "did you mean")."""
        folded = difflib.get_close_matches(norm(text), list(self.by_name), n=n, cutoff=0.6)
        return [self.names[self.by_name[f][0]] for f in folded]

    def resolve(self, text: str) -> TopicMatch:
        """:meth:`find`, or :class:`NotFound` naming near matches."""
        found = self.find(text)
        if found is None:
            near = self.near(text)
            hint = f"; did you mean: {'; '.join(near)}" if near else ""
            raise NotFound(f"no topic {text.strip()!r}{hint}")
        return found
