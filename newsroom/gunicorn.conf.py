"""gunicorn settings for every deployment: `gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi`.

Each value can be changed by an environment variable (documented in .env.example); the defaults
suit a small machine. Workers are threads inside processes (gthread): a reader waiting on the
database holds a thread, not a whole process.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The usual 2 × cores + 1 processes, each with a few threads.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request stuck longer than this is killed (and its worker replaced); keep it above the slowest
# admin action, below the load balancer's own timeout.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM or SIGHUP (reload), workers finish their requests for up to this long before they stop.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep connections from the load balancer open a little longer than it expects to reuse them.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle each worker after about this many requests (jittered so they do not restart together):
# bounds slow leaks without a visible restart.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Graceful restart: `kill -HUP <master>` starts new workers on the new code and lets the old ones
# finish their requests (up to graceful_timeout); so the code is loaded by each worker, not by the
# master (no preload), or a HUP would keep serving the old code.
preload_app = False
# Several gunicorns share a machine here (make run, make bench, tests): no control socket in $HOME;
# signals do the restarts.
control_socket_disable = True
# Behind a load balancer, trust its X-Forwarded-* headers (comma-separated addresses, or "*").
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log and server log to stdout as JSON lines, like the application's own logs; the access
# line carries the request id that the application returned in X-Request-ID.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        }
    },
    # gunicorn merges this into its defaults, whose root logger writes to "console".
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
