"""The package turns on Polars' huge-page switch, which takes effect, and leaves a user's own value alone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")
PROBE = """
import os, resource
import saylau
import polars as pl
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
column = pl.int_range(0, 50_000_000, eager=True)  # 400 MB of fresh memory
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, os.environ["POLARS_THP"])
"""


def _probe(thp: str | None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLARS_THP", "_RJEM_MALLOC_CONF")}
    if thp is not None:
        env["POLARS_THP"] = thp
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env)
    faults, value = out.stdout.split(" ", 1)
    return int(faults), value.strip()


@pytest.mark.skipif(not THP.exists() or "[madvise]" not in THP.read_text(),
                    reason="the switch shows only where the kernel gives huge pages on request (madvise); here never or always")
def test_huge_pages_cut_page_faults():
    """With the package's default, touching 400 MB costs far fewer page faults than with the switch off."""
    ours, value = _probe(None)
    plain, _ = _probe("0")
    assert value == "1"
    assert plain > 50_000  # 4 KiB pages: one fault per page
    assert ours * 10 < plain


def test_a_users_choice_is_kept():
    """A value already in the environment is not replaced."""
    _, value = _probe("0")
    assert value == "0"
