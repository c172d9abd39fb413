"""Benchmark of the dashboard pages (issue: national, provincial and indicator pages).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/pages.py

Creates its own database (``test_<name>``, dropped at the end), loads the reference data,
builds the national-scale synthetic dataset (every unit version × 200 indicators × 10
years), recomputes progress, then serves the app with gunicorn on 127.0.0.1 and requests
each page 50 times. Prints p50/p95 time per request, the HTML size and the part of it that
is embedded chart data, and the ratio to a bare view returning a stored JSON of the same
size. Goals: p95 ≤ 150 ms for the overview and unit pages; ≤ 200 KB per page (plotly.js,
served once and cached, not counted).
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

HOST = "127.0.0.1"
REQUESTS = 50
WARMUP = 5
CHART_DATA = re.compile(rb'<script type="application/json"[^>]*>(.*?)</script>', re.S)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _settle() -> None:
    """Vacuum and analyse what was just written, as autovacuum has long done in a database in
    service; otherwise it starts during the timing and competes with the server for the CPU."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    assert response.status == 200, (path, response.status)
    return elapsed, body


def _time(conn: http.client.HTTPConnection, path: str) -> tuple[list[float], bytes]:
    body = b""
    for _ in range(WARMUP):
        _, body = _get(conn, path)
    return [_get(conn, path)[0] for _ in range(REQUESTS)], body


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    from bench.synthetic import build
    from programmes.models import Document
    from progress.models import RecomputeRun
    from progress.services import progress_recompute_now
    from provinces.selectors import province_for_code_in_year
    from reference.services import reference_data_load

    old_config = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        started = time.perf_counter()
        reference_data_load()
        dataset = build(indicators=200)
        progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
        _settle()
        print(
            f"dataset: {dataset.indicators} indicators, {dataset.values} values, "
            f"{dataset.targets} targets; built and recomputed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        hanoi = province_for_code_in_year(code="01", year=2025)
        programme = Document.objects.get(number="889/QĐ-TTg")
        pages = {
            "national overview": "/",
            "unit page (Hà Nội)": f"/provinces/{hanoi.pk}/",
            "indicator page": "/indicators/BENCH-00001/",
            "document page (889)": f"/documents/{programme.pk}/",
        }
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": _database_url(),
        }
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "sxtd.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        print(
            f"{'page':24} {'p50 ms':>7} {'p95 ms':>7} {'HTML KB':>8} {'charts KB':>9} "
            f"{'bare p95':>8} {'ratio':>6}"
        )
        for name, path in pages.items():
            samples, body = _time(conn, path)
            charts = sum(len(match) for match in CHART_DATA.findall(body))
            bare, _ = _time(conn, f"/bench/bare/{len(body)}/")
            p50, p95, bare95 = statistics.median(samples), _p95(samples), _p95(bare)
            print(
                f"{name:24} {p50 * 1000:7.1f} {p95 * 1000:7.1f} {len(body) / 1024:8.1f} "
                f"{charts / 1024:9.1f} {bare95 * 1000:8.1f} {p95 / bare95:6.1f}"
            )
        conn.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
