"""Rate limiting of comment posts through the real shared cache (Redis), per visitor."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import OperationalError

from comments import services
from comments.models import BlocklistEntry, Comment
from comments.ratelimit import parse_rate, refund_post
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


def test_posts_with_form_errors_do_not_count(client, settings, raw_redis):
    """One real post plus a few typos must not say "Slow down a little"."""
    settings.COMMENTS_RATE_LIMIT = "2/600"
    article = make_article()
    assert client.post(post_url(article), form_data(article)).status_code == 302
    for typo in ({"email": "grace@example"}, {"body": ""}, {"name": ""}):
        assert client.post(post_url(article), form_data(article, **typo)).status_code == 422
    (key,) = raw_redis.keys("*comments:rate:*")
    assert int(raw_redis.get(key)) == 1
    assert client.post(post_url(article), form_data(article, body="Second")).status_code == 302
    assert client.post(post_url(article), form_data(article, body="Third")).status_code == 429
    assert Comment.objects.count() == 2


def test_a_post_the_database_could_not_store_does_not_count(
    client, settings, raw_redis, monkeypatch
):
    """A busy database answers "send it again" (503); sending it again must not hit the limit."""
    settings.COMMENTS_RATE_LIMIT = "1/600"
    article = make_article()
    data = form_data(article)

    def busy(**kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(services, "post_comment", busy)
        assert client.post(post_url(article), data).status_code == 503
    # One post allowed per window: this is it, because the failed one was handed back.
    assert client.post(post_url(article), data).status_code == 302
    assert Comment.objects.count() == 1


def test_spam_and_honeypot_posts_count(client, settings, raw_redis):
    """Accepted means stored or dropped by the policy, whatever it decided: spam counts."""
    settings.COMMENTS_RATE_LIMIT = "2/600"
    article = make_article()
    BlocklistEntry.objects.create(kind=BlocklistEntry.Kind.TERM, value="casino")
    assert client.post(post_url(article), form_data(article, body="casino")).status_code == 302
    assert (
        client.post(post_url(article), form_data(article, website="http://bot")).status_code == 302
    )
    assert client.post(post_url(article), form_data(article)).status_code == 429
    assert list(Comment.objects.values_list("status", flat=True)) == [Comment.Status.SPAM]


def test_refund_after_the_window_expired_does_not_go_negative(rf, raw_redis):
    request = rf.post("/", REMOTE_ADDR="198.51.100.7")
    refund_post(request)
    assert raw_redis.keys("*comments:rate:*") == []


@pytest.mark.parametrize("bad", ["5", "five/600", "5/600/1", "", "0/600", "5/-1"])
def test_malformed_rate_setting_is_reported_clearly(bad):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(bad)


def test_posting_still_works_when_the_cache_is_unreachable(client, settings, caplog):
    """An outage of the shared cache lifts the rate limit; it never loses a reader's comment."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        },
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
