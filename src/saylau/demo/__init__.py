"""Seeded synthetic demo election: canonical tables plus the ground truth of injected manipulations."""

from saylau.demo.generator import SCENARIOS, Demo, generate

__all__ = ["SCENARIOS", "Demo", "generate"]
