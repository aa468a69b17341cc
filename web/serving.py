"""Production serving: `poc serve` runs the app under gunicorn (gthread workers), with an access
log in the combined log format.

Each worker process imports `app` after the fork and builds the app once (`app.server`), so no
store or Redis connection crosses a fork (the `poc serve` process closes its own before
gunicorn starts). SIGTERM or SIGINT to the `poc serve` process stops it gracefully.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

# the combined log format (Apache, nginx), also gunicorn's default
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
# left out of the access log unless POC_ACCESS_LOG=all: static files and health checks
QUIET_PREFIXES = ("/_dash-component-suites/", "/vendor/", "/assets/", "/static/", "/_favicon.ico", "/healthz")
ACCESS_LOG_CHOICES = ("requests", "all", "off")


def default_workers() -> int:
    """The CPUs this process may use, 2 at least (one busy worker does not stop the site), 8 at
    most (each worker holds its own app and query cache)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(8, max(2, cpus))


class RequestsOnlyLogger(Logger):
    """gunicorn's logger, with static files and health checks left out of the access log."""

    def access(self, resp, req, environ, request_time):
        if (environ.get("PATH_INFO") or "").startswith(QUIET_PREFIXES):
            return
        super().access(resp, req, environ, request_time)


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    workers: int
    threads: int
    access_log: str = "requests"  # requests | all | off
    trusted_proxies: tuple[str, ...] = ()

    def bind(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def gunicorn_config(self) -> dict:
        return {
            "bind": [self.bind()],
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread",
            "accesslog": None if self.access_log == "off" else "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": RequestsOnlyLogger if self.access_log == "requests" else Logger,
            "errorlog": "-",
            "loglevel": "info",
            # gunicorn believes X-Forwarded-Proto from these addresses only; web.proxies does the rest
            "forwarded_allow_ips": ",".join(self.trusted_proxies),
            "proc_name": "poc-dashboard",
            "timeout": 60,
            "graceful_timeout": 20,
            "keepalive": 5,
            "preload_app": False,
            # gunicorn >= 25.1 opens a control socket at one path per user: several servers would clash
            "control_socket_disable": True,
        }


class PocServer(BaseApplication):
    """gunicorn with its configuration from ServeOptions, not from its command line."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.gunicorn_config().items():
            if name in self.cfg.settings:  # a setting this gunicorn version does not have is left out
                self.cfg.set(name, value)

    def load(self):
        from app import server  # built once per worker, after the fork

        return server


def run(options: ServeOptions) -> None:
    """Serve until stopped."""
    PocServer(options).run()
