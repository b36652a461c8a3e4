"""Admin password guessing is limited (django-axes): per username and address, for a while.

Real logins through the admin's login form (the pytest client's `force_login`, used elsewhere,
does not authenticate and is not throttled).
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor():
    user = make_user("editor", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, username="editor", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


def guess_wrong(client, times, **kwargs):
    for attempt in range(times):
        assert sign_in(client, f"guess-{attempt}", **kwargs).status_code == 200


def test_after_the_limit_even_the_right_password_gets_the_lockout_page(client, editor):
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
    response = sign_in(client, f"guess-{settings.AXES_FAILURE_LIMIT}")
    assert response.status_code == 429
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "15 minutes" in page
    assert 'class="error-page"' in page and settings.SITE_NAME in page  # the site's own page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, editor):
    make_user("other", is_staff=True)
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, "wrong", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert sign_in(client, PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302
    client.logout()
    assert sign_in(client, "pw", username="other", REMOTE_ADDR="203.0.113.7").status_code == 302


def test_colleagues_at_the_same_address_still_get_the_login_form(client, editor):
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "wrong").status_code == 429
    assert client.get(reverse("admin:login")).status_code == 200


def test_the_lock_lifts_after_the_cooling_off_period(client, editor):
    with time_machine.travel(NOW, tick=False):
        guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
        assert sign_in(client, "wrong").status_code == 429
    with time_machine.travel(NOW + settings.AXES_COOLOFF_TIME - timedelta(minutes=1), tick=False):
        assert sign_in(client, PASSWORD).status_code == 429
    with time_machine.travel(NOW + settings.AXES_COOLOFF_TIME * 3, tick=False):
        assert sign_in(client, PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(client, editor):
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lockout_is_kept_in_the_database_for_every_worker(client, editor):
    guess_wrong(client, settings.AXES_FAILURE_LIMIT - 1)
    sign_in(client, "wrong")
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (
        "editor",
        settings.AXES_FAILURE_LIMIT,
    )
    cache.clear()  # nothing process-local holds the state
    assert sign_in(client, PASSWORD).status_code == 429


def test_the_address_is_the_one_our_trusted_proxies_saw(client, editor, settings):
    """Behind one proxy, a forged left-most X-Forwarded-For entry does not escape the lock."""
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            client,
            f"guess-{attempt}",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    forged = sign_in(
        client, PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
    )
    assert forged.status_code == 429
    elsewhere = sign_in(
        client, PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert elsewhere.status_code == 302
