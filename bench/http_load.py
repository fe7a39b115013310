"""Closed-loop HTTP load: the live write path and Open311 against /healthz and a one-row floor, same server, same run.

    [CHENGGUAN_BENCH_DB=bench_http_mine] CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        python bench/http_load.py \
        [--seconds 5] [--rounds 3] [--clients 8] [--workers 2] [--seed-cases 1000]

Creates a throw-away PostgreSQL database (`bench_http`, or `$CHENGGUAN_BENCH_DB`: migrations, the test city with its grids, `--seed-cases`
citizen cases through Open311, ANALYZE), starts gunicorn (`--workers` sync workers) with bench/floor_settings.py
(the production settings plus `POST /bench/floor` and rate limits a load generator does not trip), and drives it
with `--clients` closed-loop client threads (each sends its next request when the last one answered), `--seconds`
per endpoint, the endpoints interleaved round by round (`--rounds`) so that the noise of a shared machine falls on
all of them alike:

  GET  /healthz                        the trivial endpoint (one `SELECT 1`)
  POST /bench/floor                    the floor of a write: one row INSERTed in one transaction
  POST /api/v1/cases                   a supervisor's report (token, scope, geocoding, number, deadline, facts)
  POST /open311/v2/requests.json       a FixMyStreet-shaped citizen report (key, rate counter, case, submission)
  GET  /open311/v2/requests.json       100 items (page_size=100)

Prints per endpoint the median req/s over the rounds, p50/p99 latency over all requests, the ratio to /healthz
and to the floor, and each web worker's RSS after the warm-up and at the end.

Against the peer (6aika/issue-reporting, set up and started outside the project as docs/performance.md
"Against the peer" describes): `--peer-url http://127.0.0.1:PORT` adds its GET requests.json (100 items) and
POST requests.json to the same rounds, interleaved with ours, and prints our rate over the peer's for both.
`CHENGGUAN_BENCH_DB` names the throw-away database (default `bench_http`).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("CHENGGUAN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
if not DB_URL.startswith("postgres"):
    sys.exit("bench/http_load.py needs PostgreSQL: set CHENGGUAN_DATABASE_URL=postgresql://…")
os.environ["CHENGGUAN_DATABASE_URL"] = DB_URL
# the throw-away database's name: CHENGGUAN_BENCH_DB (default bench_http), so that two benches can run side by side
os.environ["CHENGGUAN_TEST_DATABASE_NAME"] = os.environ.get("CHENGGUAN_BENCH_DB", "bench_http")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from loadgen import drive, pct, start_server  # noqa: E402

WGS_A = (114.3040, 34.8115)  # inside district A of the test city, roughly (WGS-84 of a GCJ-02 point there)


def seed(n_cases: int):
    from chengguan import conftest
    from chengguan.catalog.models import MatterType
    from chengguan.core.coords import gcj02_to_wgs84
    from chengguan.grids.testing import make_grids
    from chengguan.org.services import token_create
    from chengguan.public.services.open311 import open311_key_create, open311_submit

    city = conftest.city.__wrapped__(None)
    make_grids(city)
    _token, bearer = token_create(user=city["supervisor"])
    key, raw_key = open311_key_create(name="bench")
    matter = MatterType.objects.get(code="06010")
    rng = random.Random(1)
    for i in range(n_cases):
        lng, lat = gcj02_to_wgs84(rng.uniform(114.3005, 114.3195), rng.uniform(34.8005, 34.8195))
        open311_submit(
            key=key, matter=matter, lat=lat, long=lng, description=f"seed {i}", phone="13912341234"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL, body text)"
        )
        cursor.execute("ANALYZE")
    return bearer, raw_key


def worker_rss(master_pid: int) -> list[float]:
    """RSS (MB) of the gunicorn master's children."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master_pid:
            found.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(found)


def endpoints(bearer: str, key: str) -> dict:
    auth = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def health(rng):
        return "GET", "/healthz", None, {}

    def floor(rng):
        return "POST", "/bench/floor", b'{"description": "bench floor"}', {"Content-Type": "application/json"}

    def cases(rng):
        body = {
            "source": "supervisor", "matter_code": "06010", "lng": rng.uniform(114.3005, 114.3195),
            "lat": rng.uniform(34.8005, 34.8195), "description": "bench: 暴露垃圾", "address": "西门大街",
        }  # fmt: skip
        return "POST", "/api/v1/cases", json.dumps(body, ensure_ascii=False).encode(), auth

    def open311_post(rng):
        body = {
            "api_key": key, "jurisdiction_id": "", "service_code": "06010",
            "lat": f"{rng.uniform(34.8020, 34.8180):.6f}", "long": f"{rng.uniform(114.2960, 114.3130):.6f}",
            "description": "bench: 路边垃圾", "phone": "13912341234", "first_name": "三", "last_name": "张",
            "attribute[fixmystreet_id]": str(rng.randrange(10**9)),
        }  # fmt: skip
        return "POST", "/open311/v2/requests.json", urllib.parse.urlencode(body).encode(), form

    def open311_get(rng):
        return "GET", "/open311/v2/requests.json?page_size=100", None, {}

    return {
        "GET /healthz": health,
        "POST /bench/floor (1 row)": floor,
        "POST /api/v1/cases": cases,
        "POST open311 requests.json": open311_post,
        "GET open311 requests.json 100": open311_get,
    }


PEER_GET = "peer GET requests.json 100"
PEER_POST = "peer POST requests.json"


def peer_endpoints(prefix: str) -> dict:
    """The peer's GeoReport v2 calls shaped like ours (bench/peer_seed.py made service 06010, 1,000 requests)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def get(rng):
        return "GET", f"{prefix}/requests.json?page_size=100", None, {}

    def post(rng):
        body = {
            "service_code": "06010", "lat": f"{rng.uniform(34.8020, 34.8180):.6f}",
            "long": f"{rng.uniform(114.2960, 114.3130):.6f}", "description": "bench: 路边垃圾",
            "phone": "13912341234", "first_name": "三", "last_name": "张",
        }  # fmt: skip
        return "POST", f"{prefix}/requests.json", urllib.parse.urlencode(body).encode(), form

    return {PEER_GET: get, PEER_POST: post}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed-cases", type=int, default=1000)
    parser.add_argument("--peer-url", help="a running, seeded 6aika/issue-reporting: http://127.0.0.1:PORT")
    parser.add_argument("--peer-prefix", default="/api/georeport/v2", help="the peer's GeoReport v2 root")
    args = parser.parse_args()
    peer = urllib.parse.urlsplit(args.peer_url) if args.peer_url else None
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=False)
    try:
        bearer, key = seed(args.seed_cases)
        connection.close()
        with tempfile.TemporaryDirectory() as var_dir:
            proc, port = start_server(DB_URL, connection.settings_dict["NAME"], args.workers, var_dir, settings="bench.floor_settings")
            try:
                plan = endpoints(bearer, key)
                target = dict.fromkeys(plan, ("127.0.0.1", port))
                if peer:
                    plan.update(peer_endpoints(args.peer_prefix.rstrip("/")))
                    target[PEER_GET] = target[PEER_POST] = (peer.hostname, peer.port or 80)
                for name, make in plan.items():  # warm-up: every worker imports everything, builds its index
                    _rate, errors, _lat = drive(target[name][1], 2, args.clients, make, host=target[name][0])
                    if errors:
                        sys.exit(f"warm-up failed: {errors} errors")
                rss_warm = worker_rss(proc.pid)
                rates = {name: [] for name in plan}
                lats = {name: [] for name in plan}
                errs = dict.fromkeys(plan, 0)
                for _round in range(args.rounds):
                    for name, make in plan.items():
                        host, at = target[name]
                        rate, errors, latencies = drive(at, args.seconds, args.clients, make, host=host)
                        rates[name].append(rate)
                        lats[name].extend(latencies)
                        errs[name] += errors
                rss_end = worker_rss(proc.pid)
            finally:
                proc.terminate()
                proc.wait(10)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"gunicorn {args.workers} sync workers, PostgreSQL; {args.clients} closed-loop clients; "
        f"{args.rounds} interleaved rounds × {args.seconds:g} s per endpoint; {args.seed_cases} seeded cases"
    )
    health = statistics.median(rates["GET /healthz"])
    floor = statistics.median(rates["POST /bench/floor (1 row)"])
    print(f"  {'endpoint':32} {'req/s (median)':>14} {'rounds':>22} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'×healthz':>9} {'×floor':>7} errors")  # fmt: skip
    for name in plan:
        med = statistics.median(rates[name])
        each = "/".join(f"{r:.0f}" for r in rates[name])
        print(f"  {name:32} {med:14.1f} {each:>22} {pct(lats[name], 0.5):8.1f} {pct(lats[name], 0.99):8.1f} "
              f"{med / health:9.2f} {med / floor:7.2f} {errs[name]}")  # fmt: skip
    if peer:
        ours_get = statistics.median(rates["GET open311 requests.json 100"])
        ours_post = statistics.median(rates["POST open311 requests.json"])
        peer_get, peer_post = statistics.median(rates[PEER_GET]), statistics.median(rates[PEER_POST])
        print(f"  against the peer (same rounds): GET requests.json 100 {ours_get / peer_get:.2f}×, "
              f"POST requests.json {ours_post / peer_post:.2f}×")  # fmt: skip
    print(f"  RSS per web worker after warm-up: {', '.join(f'{r:.1f}' for r in rss_warm)} MB; "
          f"at the end: {', '.join(f'{r:.1f}' for r in rss_end)} MB")  # fmt: skip


if __name__ == "__main__":
    main()
