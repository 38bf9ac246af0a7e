"""Saylau: a public transparency dashboard for election observation.

Importing the package turns on Polars' own switch for transparent huge pages
(``POLARS_THP=1``), which Polars reads when it loads, so before any module imports Polars: its
allocator then backs large allocations with 2 MiB pages. The metrics of a million stations
touch about 3 GB of fresh memory; in 4 KiB pages that is ~750,000 page faults and over a
second of kernel time, in 2 MiB pages a few ten thousand. A value already in the environment
is kept (``POLARS_THP=0`` turns it off); where the kernel offers no huge pages it changes nothing.
"""

import os

os.environ.setdefault("POLARS_THP", "1")
