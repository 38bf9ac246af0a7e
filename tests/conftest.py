"""Shared fixtures: a small demo snapshot in a temporary data folder, reused per session."""

from __future__ import annotations

from pathlib import Path

import pytest

DEMO_SCALE = 0.2
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write a small demo snapshot once per test session and return its data root."""
    from saylau.cli import main

    root = tmp_path_factory.mktemp("data")
    assert main(["demo", "--out", str(root), "--seed", str(DEMO_SEED), "--scale", str(DEMO_SCALE)]) == 0
    return root


@pytest.fixture()
def demo_env(demo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the demo snapshot."""
    monkeypatch.setenv("SAYLAU_DATA", str(demo_root))
    return demo_root
