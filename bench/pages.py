"""Page latency under concurrent load, served as in production; baseline: a static file, same server, same run.

    make bench            (bench/run.py, then this)
    .venv/bin/python bench/pages.py [--seconds 10] [--concurrency 20] [--client auto|wrk|python]

In a temporary folder (SQLite, no DATABASE_URL) `trechter run --production` migrates, loads the
seed, collects the static files and starts gunicorn on a free localhost port. Each target is
checked (it must answer 200, or it gets no figure), warmed up, then loaded for a fixed time by
N concurrent keep-alive clients. The load comes from wrk when it is installed (`apt-get install
wrk`; C, one thread, little CPU), otherwise from a Python client (threads with http.client),
which on a small machine takes CPU from the server and so inflates the figures: the table says
which client ran and how much CPU it used. The 150 ms p95 target is printed, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.seed.management.commands.serve import DEFAULT_THREADS, default_workers  # noqa: E402

BASELINE = ("static file (WhiteNoise)", "/static/css/trechter.css")
TARGETS = [
    ("home", "/nl/"),
    ("theme funnel", "/nl/themes/energy/"),
    ("proposal", "/nl/proposals/energy-pv-cooperation/"),
    ("search", "/nl/search/?q=waterstof"),
]
TARGET_P95 = 0.150
HOST = "127.0.0.1"

# wrk's --latency prints p50/p75/p90/p99 only; this script reports p95 too, and counts
# answers other than 200 (its own error count only sees status ≥ 400).
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format("TRECHTER %d %d %.0f %.0f %.0f %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), bad,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Figures:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    not_ok: int  # answers other than 200
    errors: int  # connection errors and timeouts
    client_cpu: float  # the load generator's CPU seconds per wall second
    server_cpu: float = 0.0  # gunicorn's CPU seconds per request

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(folder: Path, port: int, workers: int, threads: int, page_cache: bool) -> subprocess.Popen[bytes]:
    """`trechter run --production` on a fresh SQLite file in `folder`; its output goes to server.log."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "TRECHTER_DEBUG"):
        env.pop(name, None)
    env.update(
        TRECHTER_DATA_DIR=str(folder),
        TRECHTER_SECRET_KEY=secrets.token_urlsafe(48)[:50],
        TRECHTER_ALLOWED_HOSTS=HOST,
        TRECHTER_PAGE_CACHE="1" if page_cache else "0",
        DJANGO_SETTINGS_MODULE="trechter.settings",
    )
    command = [sys.executable, "-m", "trechter.cli", "run", "--production", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads)]
    log = (folder / "server.log").open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets gunicorn finish its requests and stop its workers; kill it if that hangs."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_until_healthy(server: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 180) -> None:
    """Poll /healthz while migrate, the seed load and collectstatic run; fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if status_of(port, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise SystemExit(f"the production server did not become healthy on port {port}:\n{tail}")


def server_cpu_seconds(pid: int) -> float:
    """CPU time used so far by the gunicorn master `pid` and its workers (Linux /proc; 0 elsewhere)."""
    total_ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces; the fields after its ")" are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1] is the parent's pid
            total_ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return total_ticks / os.sysconf("SC_CLK_TCK") if total_ticks else 0.0


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def load_with_python(port: int, path: str, concurrency: int, seconds: float) -> Figures:
    """`concurrency` threads, each with one keep-alive connection, request `path` until time is up."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    not_ok = [0] * concurrency
    errors = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()  # http.client reconnects on the next request
                continue
            latencies[index].append(time.perf_counter() - start)
            not_ok[index] += response.status != 200
        connection.close()

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    ordered = sorted(value for values in latencies for value in values)
    if not ordered:
        raise SystemExit(f"GET {path}: no request succeeded")
    return Figures(
        requests=len(ordered),
        seconds=wall,
        p50=percentile(ordered, 0.50),
        p95=percentile(ordered, 0.95),
        p99=percentile(ordered, 0.99),
        not_ok=sum(not_ok),
        errors=sum(errors),
        client_cpu=cpu / wall,
    )


def load_with_wrk(port: int, path: str, concurrency: int, seconds: float, script: Path) -> Figures:
    """One wrk thread keeps `concurrency` connections busy; percentiles come from `script`."""
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:.0f}s", "--timeout", "10s", "-s", str(script)]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)  # only wrk: the server is not reaped yet
    output = subprocess.run([*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((row for row in output.stdout.splitlines() if row.startswith("TRECHTER ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures for {path}:\n{output.stdout}{output.stderr}")
    requests, micros, p50, p95, p99, not_ok, errors = (int(float(part)) for part in line.split()[1:])
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return Figures(
        requests=requests,
        seconds=micros / 1e6,
        p50=p50 / 1e6,
        p95=p95 / 1e6,
        p99=p99 / 1e6,
        not_ok=not_ok,
        errors=errors,
        client_cpu=cpu / (micros / 1e6),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured load per target (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured load per target first (default 2)")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="threads per gunicorn worker")
    parser.add_argument(
        "--page-cache",
        choices=["on", "off", "both"],
        default="both",
        help="anonymous page cache as deployed (on), every page rendered (off), or both runs (default)",
    )
    options = parser.parse_args()

    client = options.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk); use --client python")

    folder = Path(tempfile.mkdtemp(prefix="trechter-bench-pages-"))
    script = folder / "figures.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")

    port = free_port()

    def load(path: str, seconds: float) -> Figures:
        if client == "wrk":
            return load_with_wrk(port, path, options.concurrency, seconds, script)
        return load_with_python(port, path, options.concurrency, seconds)

    modes = {"on": [True], "off": [False], "both": [True, False]}[options.page_cache]
    for page_cache in modes:
        results = measure(folder, port, options, load, page_cache)
        print(f"Trechter page latency — SQLite seed data in {folder}")
        print("anonymous page cache: " + ("ON (as deployed)" if page_cache else "OFF (every request renders the page)"))
        report(results, client, options)
        print()


def measure(folder: Path, port: int, options: argparse.Namespace, load: Any, page_cache: bool) -> list[Any]:
    """Start the server, load every target in turn, stop it; figures per target."""
    server = start_server(folder, port, options.workers, options.threads, page_cache)
    results: list[tuple[str, str, Figures | str]] = []
    try:
        wait_until_healthy(server, port, folder / "server.log")
        for name, path in [BASELINE, *TARGETS]:
            status = status_of(port, path)
            if status != 200:
                hint = " (page not built yet?)" if status == 404 else ""
                results.append((name, path, f"no figure: GET answered {status}, not 200{hint}"))
                continue
            load(path, options.warmup)
            cpu_before = server_cpu_seconds(server.pid)
            figures = load(path, options.seconds)
            figures.server_cpu = (server_cpu_seconds(server.pid) - cpu_before) / figures.requests
            if figures.not_ok or figures.errors:
                bad = f"{figures.not_ok} answers other than 200 and {figures.errors} connection errors"
                results.append((name, path, f"no figure: {bad} in {figures.requests} requests"))
                continue
            results.append((name, path, figures))
    finally:
        stop_server(server)
    return results


def report(results: list[tuple[str, str, Figures | str]], client: str, options: argparse.Namespace) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    client_name = "wrk (1 thread)" if client == "wrk" else "Python (threads + http.client)"
    print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.1f} at the end (other work skews the figures)")
    print(f"server: trechter run --production, gunicorn gthread, {options.workers} workers × {options.threads} threads")
    print(f"load: {client_name}, {options.concurrency} concurrent keep-alive connections, ", end="")
    print(f"{options.warmup:g} s warm-up then {options.seconds:g} s per target")
    baseline = results[0][2]
    header = f"{'target':26} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"{header} {'p95/static':>10} {'p95<150ms':>9} {'server cpu':>10} {'client cpu':>10}")
    for name, path, figures in results:
        if isinstance(figures, str):
            print(f"{name:26} {path}: {figures}")
            continue
        ratio = f"{figures.p95 / baseline.p95:10.1f}" if isinstance(baseline, Figures) else f"{'—':>10}"
        row = f"{name:26} {figures.requests:8d} {figures.per_second:7.0f} {figures.p50 * 1000:7.1f}"
        row += f" {figures.p95 * 1000:7.1f} {figures.p99 * 1000:7.1f} {ratio}"
        row += f" {'yes' if figures.p95 < TARGET_P95 else 'NO':>9} {figures.server_cpu * 1000:7.1f} ms"
        row += f" {figures.client_cpu:10.0%}"
        print(row)
    # Closed loop: each client sends its next request as soon as the last one is answered, so
    # the server is saturated and latency ≈ clients × CPU per request ÷ cores (Little's law).
    budget = TARGET_P95 * cores / options.concurrency
    print("server cpu: gunicorn's CPU time per request (master and workers, from /proc)")
    print(
        f"            under {budget * 1000:.0f} ms is needed for p95 < 150 ms with {options.concurrency} busy clients"
    )
    print(f"            on {cores} cores: latency ≈ clients × CPU per request ÷ cores, whatever the tuning")
    print("client cpu: the load generator's CPU time per second of load (100% = one core)")


if __name__ == "__main__":
    main()
