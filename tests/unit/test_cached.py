"""The caching module and the server warm-up (``saylau serve``)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from saylau import forensics, metrics, serve
from saylau.views import cached


def fail(*_args: object, **_kwargs: object) -> None:
    """Stand-in for a computation that must not run again."""
    raise AssertionError("computed again instead of read from the cache")


def test_region_default_and_none_share_one_cache_entry(demo_env: Path) -> None:
    sid = cached.snapshot_id()
    assert cached.metric_tables(sid) is cached.metric_tables(sid, None)
    assert cached.forensics_tables(sid) is cached.forensics_tables(sid, None)


def test_warm_fills_the_caches_the_pages_read(demo_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for fn in (cached.tables, cached._metric_tables, cached._forensics_tables, cached.revisions):
        fn.clear()
    sid = cached.warm()
    assert sid == cached.snapshot_id()
    monkeypatch.setattr(metrics, "compute_all", fail)
    monkeypatch.setattr(forensics, "tables_for_charts", fail)
    monkeypatch.setattr(cached.store, "load_tables", fail)
    monkeypatch.setattr(cached.store, "revisions", fail)
    region = cached.profile(sid).regions[0].code
    with pytest.raises(AssertionError):
        cached.metric_tables(sid, region)  # not warmed: the stand-in runs
    assert cached.metric_tables(sid)["summary"].height == 1
    assert cached.chart_tables(sid, "forensics") is cached.forensics_tables(sid)
    assert cached.revisions(sid) is not None


def test_warm_without_data_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYLAU_DATA", str(tmp_path))
    assert cached.warm() is None


def test_a_failed_warm_up_is_logged_not_raised(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(cached, "warm", lambda: fail())
    monkeypatch.setattr(serve, "RUNTIME_WAIT", 0.0)
    with caplog.at_level(logging.INFO, logger=serve.LOG.name):
        serve.warm()
    assert "warming the caches failed" in caplog.text


def test_serve_runs_streamlit_on_the_router_with_the_given_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import streamlit as st

    from saylau.cli import main

    calls: list[tuple[object, list[type], dict[str, object], str]] = []
    warmed: list[bool] = []

    class App:
        def __init__(self, script: Path, middleware: list) -> None:
            self.script, self.middleware = script, [m.cls for m in middleware]

        def run(self, config: dict[str, object]) -> None:
            calls.append((self.script, self.middleware, config, sys.argv[0]))

    monkeypatch.setattr(st, "App", App)
    monkeypatch.setattr(sys, "argv", ["saylau"])
    monkeypatch.setattr(serve, "warm", lambda: warmed.append(True))
    assert main(["serve", "--port", "8600", "--", "--server.headless", "true"]) == 0
    router = (Path.cwd() / "app.py").resolve()
    options = {"logger.hideWelcomeMessage": True, "server.headless": True, "server.port": 8600}
    assert calls == [(router, [serve.BackendBase], options, str(router))]
    for _ in range(200):  # the warm-up runs on its own thread
        if warmed:
            break
        time.sleep(0.01)
    assert warmed == [True]
