"""The directory's topic filter: one query per page, median of ``--runs``, by topic.

The graph ``NEO4J_URI`` points at should hold the demo data (``--load-demo`` loads it
into an empty graph). For each of the ``--topics`` most used topic names (and for no
topic) it times ``cypher/web/directory_list`` (no search text) and
``cypher/web/directory_search`` (the search ``--q``), as the directory page asks them:
the first page of 25, sorted by name, the whole Euroregion and every territory. A topic
name stands for every topic of that name (:mod:`graphsvc.topics`). Neo4j's own caches are
warm after the first run; the web app's caches are not involved.

    python -m bench.directory [--load-demo] [--topics 8] [--runs 5] [--q univ] [--save F] [--baseline F]
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench._common import finish, parser
from graphsvc.db import Graph
from graphsvc.projection import topic_index
from graphsvc.regions import TERRITORIES
from graphsvc.settings import Settings
from graphsvc.topics import TopicMatch
from web.data import lucene, words

SCOPES = {"euroregion": list(TERRITORIES), "all": None}


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--load-demo", action="store_true", help="load the bundled data first if the graph is empty")
    p.add_argument("--topics", type=int, default=8, help="how many of the most used topic names")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--q", default="univ", help="the search text of the directory_search rows")
    args = p.parse_args(argv)
    with Graph.from_settings(Settings.from_env()) as graph:
        if args.load_demo and graph.is_empty():
            from loaders.demo import load_demo

            load_demo(graph, progress=False)
        index = topic_index(graph)
        chosen: dict[str, TopicMatch] = {}
        for t in graph.read("web/topic_choices", limit=200):
            found = index.find(t["name"] or t["id"])
            if found:
                chosen.setdefault(found.name, found)
            if len(chosen) == args.topics:
                break
        rows: list[dict[str, Any]] = []
        for scope, codes in SCOPES.items():
            for name, match in [(None, None), *chosen.items()]:
                topics = list(match.ids) if match else None
                common = {"codes": codes, "outside": False, "nuts3": None, "kind": None, "topics": topics,
                          "has_capacities": False, "sort": "name", "skip": 0, "limit": 25}
                for query, extra in (("directory_list", {}), ("directory_search", {"lucene": lucene(words(args.q))})):
                    times = []
                    total = 0
                    for _ in range(args.runs):
                        t0 = time.perf_counter()
                        row = graph.read_one(f"web/{query}", **common, **extra) or {}
                        times.append(time.perf_counter() - t0)
                        total = int(row.get("total") or 0)
                    rows.append({"case": f"{query} / {scope} / {name or '(no topic)'}", "topics": len(topics or []),
                                 "found": total, "median_ms": round(statistics.median(times) * 1000, 1),
                                 "max_ms": round(max(times) * 1000, 1)})
        organisations = graph.read_text("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"]
        print(f"graph: {organisations} organisations; search text {args.q!r}; {args.runs} runs each")
        finish(args, rows, {"organisations": organisations, "runs": args.runs, "q": args.q})


if __name__ == "__main__":
    main()
