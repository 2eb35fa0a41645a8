"""Warm the caches of a freshly served app in the background.

The first suggestion request on a graph builds the projection (and, before `lotura
analyse` has run, the communities): seconds of work that the first visitors of an
organisation page would otherwise wait for. `lotura serve` starts this thread once the
app is built; requests served meanwhile share the same single-flight cache.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from graphsvc.errors import LoturaError
from graphsvc.suggest import warm_up

log = logging.getLogger("lotura.web")


def warm_in_background(app: Flask) -> threading.Thread:
    """Start (and return) a daemon thread that warms the suggestion caches."""

    def work() -> None:
        t0 = time.perf_counter()
        try:
            n = warm_up(app.extensions["lotura"])
        except LoturaError as exc:  # Neo4j down or an empty graph: pages will say so
            log.warning("cache warm-up skipped: %s", exc)
            return
        log.info("caches warm: %d organisations in %.1f s", n, time.perf_counter() - t0)

    t = threading.Thread(target=work, name="lotura-warm-up", daemon=True)
    t.start()
    return t
