"""Benchmark: what the unit-grid index costs a web worker in memory (RSS), for the demo city's ~9,000 grids.

    python bench/grid_memory.py

Each variant runs in its own fresh process (RSS is per process and glibc keeps freed memory): create a
throw-away test database, load the demo organisation and geography, then measure the resident set before and
after building the geocoder's index and answering 100,000 batch and 2,000 single lookups:
* `packed` — the index as it is: packed arrays; prepared geometries and the STRtree released after the build;
* `before` — the build as it was, as the baseline: all cell boxes classified at once, prepared geometries and
  the tree kept.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(variant: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
    import gc
    import time
    from io import StringIO

    import django

    django.setup()
    import numpy as np
    import shapely
    from django.db import connection
    from django.test.utils import setup_test_environment

    def rss():
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from chengguan.grids import demo as grids_demo
        from chengguan.grids.geocoder import build_index
        from chengguan.org import demo as org_demo

        org_demo.load(stdout=StringIO())
        grids_demo.load(stdout=StringIO())
        from chengguan.grids import spatial

        if variant == "before":
            spatial._BUILD_SLICE = 10**12
            shapely.destroy_prepared = lambda geoms: None
        gc.collect()
        before = rss()
        started = time.perf_counter()
        index = build_index()
        took = time.perf_counter() - started
        if variant == "before":
            index.spatial._tree = shapely.STRtree(index.spatial.geoms)
        rng = np.random.default_rng(1)
        xs, ys = rng.uniform(114.30, 114.40, 100_000), rng.uniform(34.76, 34.82, 100_000)
        index.locate_arrays(xs, ys)
        for x, y in zip(xs[:2000].tolist(), ys[:2000].tolist(), strict=True):
            index.locate(x, y)
        gc.collect()
        print(f"{variant:9s} {len(index):,} grids: index built in {took:.2f} s, RSS +{rss() - before:.1f} MB")
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measure(sys.argv[1])
    else:
        for variant in ("packed", "before"):
            subprocess.run([sys.executable, __file__, variant], check=True)
