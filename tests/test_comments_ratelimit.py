"""Rate limiting of comment posts through the real shared cache (Redis), per visitor."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from comments.models import Comment
from comments.ratelimit import parse_rate
from tests.comments_helpers import form_data, post_url
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_sixth_post_in_the_window_gets_a_friendly_429(client, settings, raw_redis):
    settings.COMMENTS_RATE_LIMIT = "5/600"
    article = make_article()

    for number in range(5):
        response = client.post(post_url(article), form_data(article, body=f"Comment {number}"))
        assert response.status_code == 302

    keys = raw_redis.keys("*comments:rate:*")
    assert len(keys) == 1
    assert int(raw_redis.get(keys[0])) == 5
    assert 0 < raw_redis.ttl(keys[0]) <= 600

    response = client.post(post_url(article), form_data(article, body="One too many"))
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    content = response.content.decode()
    assert "Slow down a little" in content
    assert "One too many" in content  # handed back so the reader can copy it
    assert Comment.objects.count() == 5


def test_limit_is_per_visitor(client, settings, raw_redis):
    settings.COMMENTS_RATE_LIMIT = "1/600"
    article = make_article()
    statuses = [
        client.post(post_url(article), form_data(article), REMOTE_ADDR=address).status_code
        for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2")
    ]
    assert statuses == [302, 429, 302]
    assert len(raw_redis.keys("*comments:rate:*")) == 2


def test_changing_user_agent_does_not_escape_the_limit(client, settings, raw_redis):
    """The limit follows the client address: user agents cost nothing to forge."""
    settings.COMMENTS_RATE_LIMIT = "2/600"
    article = make_article()
    statuses = [
        client.post(post_url(article), form_data(article), HTTP_USER_AGENT=f"Bot/{n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_rejected_and_invalid_posts_count_too(client, settings, raw_redis):
    settings.COMMENTS_RATE_LIMIT = "2/600"
    article = make_article()
    assert client.post(post_url(article), {"body": ""}).status_code == 422
    assert client.post(post_url(article), {"body": ""}).status_code == 422
    assert client.post(post_url(article), form_data(article)).status_code == 429


@pytest.mark.parametrize("bad", ["5", "five/600", "5/600/1", "", "0/600", "5/-1"])
def test_malformed_rate_setting_is_reported_clearly(bad):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(bad)


def test_posting_still_works_when_the_cache_is_unreachable(client, settings, caplog):
    """An outage of the shared cache lifts the rate limit; it never loses a reader's comment."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="Still heard"))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Still heard"
    assert "rate limit not applied" in caplog.text


@pytest.mark.parametrize(
    ("setting", "value", "check_id"),
    [
        ("COMMENTS_MODERATION", "sometimes", "comments.E001"),
        ("COMMENTS_RATE_LIMIT", "x", "comments.E002"),
    ],
)
def test_bad_comment_settings_stop_the_server_at_start_up(settings, setting, value, check_id):
    setattr(settings, setting, value)
    with pytest.raises(SystemCheckError, match=check_id):
        call_command("check")
