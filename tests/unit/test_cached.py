"""The caching module."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.views import cached


def test_region_default_and_none_share_one_cache_entry(demo_env: Path) -> None:
    sid = cached.snapshot_id()
    assert cached.metric_tables(sid) is cached.metric_tables(sid, None)
    assert cached.forensics_tables(sid) is cached.forensics_tables(sid, None)
