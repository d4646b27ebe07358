"""`trechter run`: migrate, load the seed agenda if the database is empty, and serve.

Development (default): Django's runserver on 127.0.0.1:8000.
Production (--production): collectstatic into DATA_DIR/static, then gunicorn in this process,
gthread workers; WhiteNoise serves /static/ from the app (docs/adr/0003-serving.md).
"""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# Pages are CPU-bound (templates hold the GIL): threads add no throughput and widen the latency
# tail, but a second one lets a worker answer while a request waits on SQLite's write lock.
DEFAULT_THREADS = 2
# 2 × cores + 1 is gunicorn's rule of thumb; the cap keeps a shared small host from filling
# its memory with Django processes (about 85 MB resident each).
MAX_DEFAULT_WORKERS = 9


def default_workers() -> int:
    """gunicorn's 2 × cores + 1, counting only the cores this process may run on, capped."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


class Command(BaseCommand):
    help = (
        "Migrate, load the seed agenda if the database is empty, and serve on ADDR:PORT (default "
        "127.0.0.1:8000). Without --production: Django's development server. With --production: "
        "collectstatic into TRECHTER_DATA_DIR/static, then gunicorn with gthread workers (default "
        f"2 × cores + 1 workers, at most {MAX_DEFAULT_WORKERS}, {DEFAULT_THREADS} threads each, no access log); "
        "needs TRECHTER_SECRET_KEY and TRECHTER_ALLOWED_HOSTS, and refuses TRECHTER_DEBUG=1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="ADDR:PORT or PORT")
        parser.add_argument("--production", action="store_true", help="serve with gunicorn instead of runserver")
        parser.add_argument("--workers", type=int, help=f"gunicorn worker processes (default {default_workers()})")
        parser.add_argument("--threads", type=int, help=f"threads per worker (default {DEFAULT_THREADS})")
        parser.add_argument("--access-log", action="store_true", help="log every request to stdout (default off)")

    def handle(self, *args: Any, addrport: str, production: bool, **options: Any) -> None:
        if not production:
            if options["workers"] or options["threads"] or options["access_log"]:
                raise CommandError("--workers, --threads and --access-log only apply with --production")
            self.prepare()
            call_command("runserver", addrport, use_reloader=False)
            return
        check_production_environment()
        self.prepare()
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"127.0.0.1:{addrport}" if addrport.isdigit() else addrport
        serve_with_gunicorn(
            bind=bind,
            workers=options["workers"] or default_workers(),
            threads=options["threads"] or DEFAULT_THREADS,
            access_log=options["access_log"],
        )

    def prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=1)
        call_command("load_seed", if_empty=True)


def check_production_environment() -> None:
    """Refuse to serve production traffic with debug pages or without explicit hosts and key."""
    # Settings already refuse a missing key when TRECHTER_DEBUG is off; with it on they invent one.
    if settings.DEBUG:
        raise CommandError("--production refuses TRECHTER_DEBUG=1 (it shows tracebacks to visitors)")
    missing = [name for name in ("TRECHTER_SECRET_KEY", "TRECHTER_ALLOWED_HOSTS") if not os.environ.get(name)]
    if missing:
        raise CommandError(f"--production needs {' and '.join(missing)}")


def serve_with_gunicorn(*, bind: str, workers: int, threads: int, access_log: bool) -> None:
    """Run gunicorn in this process until it is stopped (SIGTERM/SIGINT); Django is already set up."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "accesslog": "-" if access_log else None,
        "proc_name": "trechter",
        # gunicorn ≥ 25 opens a control socket at one fixed path per user ($HOME/.gunicorn/);
        # two Trechter servers on a host (a benchmark next to a running site) would fight over it.
        "control_socket_disable": True,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()

    # Workers are forked from this process: an SQLite handle opened by migrate must not be shared.
    connections.close_all()
    Server().run()
