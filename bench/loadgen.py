"""What the HTTP benchmarks share (bench/http_load.py, bench/intake.py): a gunicorn server on a throw-away
PostgreSQL database and a closed-loop load generator."""

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, db_name: str, workers: int, var_dir: str, settings: str = "chengguan.settings"):
    """gunicorn (`workers` sync workers) on `db_name` of the server `db_url` names, `settings` as the settings
    module; returns (process, port) once /healthz answers."""
    port = free_port()
    base = db_url.rsplit("/", 1)[0]
    env = dict(
        os.environ,
        CHENGGUAN_DATABASE_URL=f"{base}/{db_name}",
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=str(ROOT),
        CHENGGUAN_SECRET_KEY="bench-only-not-a-secret",
        CHENGGUAN_ALLOWED_HOSTS="127.0.0.1,localhost",
        CHENGGUAN_VAR_DIR=var_dir,
        CHENGGUAN_LOG_LEVEL="WARNING",
    )
    env.pop("CHENGGUAN_TEST_DATABASE_NAME", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "chengguan.wsgi:application", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit("the server did not start")


def drive(port, seconds, clients, make_request, host="127.0.0.1"):
    """`clients` closed-loop threads (each sends its next request when the last one answered) for `seconds`;
    returns (req/s, errors, latencies in ms)."""
    stop = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def client(i):
        rng = random.Random(i * 7919 + int(time.monotonic() * 1000))
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < stop:
            method, path, body, headers = make_request(rng)
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                ok = False
            mine.append((time.perf_counter() - t) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.monotonic() - started), errors[0], latencies


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
