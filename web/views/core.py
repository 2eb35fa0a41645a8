"""Health and the home page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, url_for

from graphsvc import __version__
from graphsvc.errors import DatabaseUnavailable
from web.core import graph

bp = Blueprint("core", __name__)


@bp.get("/health")
def health() -> Any:
    """``200 {"status": "ok", "neo4j": {...}}`` when Neo4j answers, else 503."""
    try:
        latency = graph().ping()
        info = graph().server_info()
    except DatabaseUnavailable as exc:
        return jsonify({"status": "degraded", "version": __version__,
                        "neo4j": {"status": "unavailable", "error": str(exc)}}), 503
    return jsonify({"status": "ok", "version": __version__,
                    "neo4j": {"status": "up", "latency_ms": round(latency, 1), **info}})


@bp.get("/favicon.ico")
def favicon() -> Any:
    """Browsers and crawlers that ask for /favicon.ico get the page icon (the pages link it)."""
    return Response(_icon(current_app.static_folder or ""), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@cache
def _icon(static_folder: str) -> bytes:
    """The icon's bytes, read once per process."""
    return (Path(static_folder) / "favicon.svg").read_bytes()


@bp.get("/")
def home() -> Any:
    if "dashboard.index" in current_app.view_functions:
        return redirect(url_for("dashboard.index"))
    return render_template("home.html")
