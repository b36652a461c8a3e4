"""Production configuration: refuses a missing or development key, passes the deploy checklist."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "blog.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
