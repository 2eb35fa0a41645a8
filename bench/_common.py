"""Shared helpers of the benchmarks: timing, a printed table, saving and comparing
against a baseline (``--save FILE`` / ``--baseline FILE``)."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--save", type=Path, help="write the results as JSON to this file")
    p.add_argument("--baseline", type=Path, help="compare with results saved earlier with --save")
    return p


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary_ms(samples_s: list[float]) -> dict[str, float]:
    ms = [x * 1000 for x in samples_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.5), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
    }


def repeat(fn: Callable[[], Any], n: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def print_table(rows: list[dict[str, Any]], baseline: list[dict[str, Any]] | None = None, key: str = "case") -> None:
    """Print rows as an aligned table; with a baseline, add the change of each number."""
    if not rows:
        print("(no results)")
        return
    cols = list(rows[0].keys())
    base = {r.get(key): r for r in (baseline or [])}
    lines = [cols]
    for r in rows:
        line = []
        for c in cols:
            v = r.get(c, "")
            cell = f"{v:.3g}" if isinstance(v, float) else str(v)
            b = base.get(r.get(key), {}).get(c)
            if baseline is not None and isinstance(v, (int, float)) and isinstance(b, (int, float)) and b:
                cell += f" ({(v - b) / b * 100:+.0f}%)"
            line.append(cell)
        lines.append(line)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(cols))]
    for i, line in enumerate(lines):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def finish(args: argparse.Namespace, rows: list[dict[str, Any]], meta: dict[str, Any] | None = None) -> None:
    baseline = None
    if args.baseline:
        baseline = json.loads(args.baseline.read_text())["rows"]
    print_table(rows, baseline)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        doc = {"rows": rows, "meta": {"machine": platform.platform(), "python": platform.python_version(),
                                      "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **(meta or {})}}
        args.save.write_text(json.dumps(doc, indent=1))


def half(pic: str, seed: str) -> str:
    """``tune`` or ``held-out``: a fixed split of organisations into halves, from a hash
    of the PIC and ``seed`` (a PIC's half never changes)."""
    h = int(hashlib.sha256(f"{seed}:{pic}".encode()).hexdigest(), 16)
    return "tune" if h % 2 == 0 else "held-out"


def open_table(folder: Path, stem: str, ext: str) -> io.TextIOBase:
    """``folder/stem.ext``, or its ``.gz``, as text. The H2020 snapshot has a few bytes
    that are not UTF-8; a replaced letter does not move a measurement."""
    for name in (f"{stem}.{ext}", f"{stem}.{ext}.gz"):
        path = folder / name
        if path.is_file():
            raw = gzip.open(path, "rb") if name.endswith(".gz") else path.open("rb")
            return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
    raise SystemExit(f"{folder}: no {stem}.{ext} here")
