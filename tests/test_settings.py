"""Production configuration: refuses a missing or development key, passes the deploy checklist."""

import http.server
import json
import threading

from django.conf import settings

from tests.process_support import PRODUCTION_ENV, closed_port, django_shell, manage


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    result = manage("check", **{**PRODUCTION_ENV, "SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_checklist_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_deploy_checklist_warns_about_a_per_process_cache():
    env = {**PRODUCTION_ENV, "CACHE_URL": "locmemcache://"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "visitors.W001" in result.stderr + result.stdout


def test_email_relay_is_configured_from_one_url():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)",
        **PRODUCTION_ENV,
        EMAIL_URL="smtp+tls://newsroom:secret@smtp.example.com:587",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "587",
        "newsroom",
        "True",
    ]


def print_settings(*names, **env):
    result = django_shell(
        "from django.conf import settings as s; "
        f"print(*[repr(getattr(s, n)) for n in {names!r}], sep='|')",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split("|")


HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


def test_production_is_https_only_unless_plain_http_is_asked_for():
    """`make run` serves plain HTTP on 127.0.0.1 through one explicit switch, never by accident."""
    assert print_settings(*HTTPS_SETTINGS, **PRODUCTION_ENV) == ["True", "2592000", "True", "True"]
    assert print_settings(*HTTPS_SETTINGS, **PRODUCTION_ENV, HTTPS_ONLY="false") == [
        "False",
        "0",
        "False",
        "False",
    ]


def test_production_without_cache_url_shares_the_database_cache_and_passes_the_deploy_check():
    env = {**PRODUCTION_ENV, "CACHE_URL": None}
    (caches,) = print_settings("CACHES", **env)
    assert "django.core.cache.backends.db.DatabaseCache" in caches
    # Room for a day of visitors: Django's default (300) would cull dedupe keys and cached pages.
    assert "'MAX_ENTRIES': 100000" in caches
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_logs_are_json_lines_carrying_the_request_id():
    """A failed health check logs an ERROR; its JSON line names the request it belongs to."""
    request_id = "0b6f4c0e-4d55-4e3c-8a4e-4f7f3d1c2a9b"
    result = django_shell(
        "from django.test import Client; "
        f"r = Client().get('/healthz', HTTP_X_REQUEST_ID='{request_id}'); "
        "print('status', r.status_code, r['X-Request-ID'])",
        **{
            **PRODUCTION_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/newsroom",
        },
    )
    assert result.returncode == 0, result.stderr
    assert f"status 503 {request_id}" in result.stdout
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    failures = [r for r in records if r["name"] == "newsroom.health"]
    assert failures, result.stdout
    assert failures[0]["level"] == "ERROR"
    assert failures[0]["request_id"] == request_id
    assert failures[0]["message"] == "Health check failed: database"
    assert "OperationalError" in failures[0]["exc_info"]


class EnvelopeCollector(http.server.BaseHTTPRequestHandler):
    """Stands in for Sentry's ingestion endpoint: records the path of every event sent to it."""

    received: list[str] = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_errors_reach_sentry_when_sentry_dsn_is_set():
    server = http.server.HTTPServer(("127.0.0.1", 0), EnvelopeCollector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
        result = django_shell(
            "import sentry_sdk; print('active', sentry_sdk.get_client().is_active()); "
            "sentry_sdk.capture_message('newsroom test event'); sentry_sdk.flush(5)",
            **PRODUCTION_ENV,
            SENTRY_DSN=dsn,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "active True" in result.stdout
    assert "/api/42/envelope/" in EnvelopeCollector.received


def test_sentry_is_off_without_sentry_dsn():
    result = django_shell(
        "import sentry_sdk; print('active', sentry_sdk.get_client().is_active())",
        **PRODUCTION_ENV,
        SENTRY_DSN="",
    )
    assert result.returncode == 0, result.stderr
    assert "active False" in result.stdout


def test_postgresql_connections_give_up_after_a_few_seconds():
    """A database host that does not answer fails /healthz quickly instead of hanging the probe."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://postgres@db.internal:5432/newsroom"}
    (databases,) = print_settings("DATABASES", **env)
    assert "'connect_timeout': 5" in databases
