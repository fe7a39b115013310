"""gunicorn started from Python with our options (no config file to ship); the WSGI app is loaded in the
workers after the fork."""

from gunicorn.app.base import BaseApplication


class ChengguanServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn >= 25 opens ~/.gunicorn/gunicorn.ctl by default: two servers on one machine would fight
            # over it, and systemd runs us with no usable home directory
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from chengguan.wsgi import application

        return application


def _child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _json_logging() -> dict:
    """gunicorn's own lines as JSON too when CHENGGUAN_LOG_FORMAT=json."""
    console = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "chengguan.ops.logjson.JsonFormatter"}},
        "handlers": {"console": console, "error_console": {**console, "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


def run(*, bind: str, workers: int, threads: int, timeout: int) -> None:
    from django.conf import settings

    extra = {"logconfig_dict": _json_logging()} if getattr(settings, "LOG_FORMAT", "text") == "json" else {}
    ChengguanServer(
        {
            **extra,
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": timeout,
            "graceful_timeout": 30,
            "max_requests": 5000,
            "max_requests_jitter": 500,
            "child_exit": _child_exit,
            "proc_name": "chengguan",
            "forwarded_allow_ips": "127.0.0.1,::1",
        }
    ).run()
