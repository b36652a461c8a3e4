"""Visitor identity: a keyed hash whose daily key lives in the shared cache."""

from datetime import timedelta

import time_machine
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.utils import timezone

from visitors import identity

REQUEST = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox")


def other_process():
    """What a second worker sees: the same shared cache, none of this process's copies."""
    caches["local"].clear()


def test_every_process_hashes_with_the_shared_salt():
    first = identity.fingerprint(REQUEST, "view")
    other_process()
    assert identity.fingerprint(REQUEST, "view") == first


def test_the_salt_is_replaced_each_day():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        today = identity.fingerprint(REQUEST, "view")
        traveller.shift(timedelta(days=1))
        assert identity.fingerprint(REQUEST, "view") != today


def test_a_process_keeps_its_copy_of_the_salt_for_a_minute_then_follows_the_cache():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        before = identity.fingerprint(REQUEST, "view")
        cache.clear()  # the shared salt is lost: the next process to ask makes a new one
        assert identity.fingerprint(REQUEST, "view") == before
        traveller.shift(timedelta(seconds=identity.SALT_LOCAL_SECONDS + 1))
        assert identity.fingerprint(REQUEST, "view") != before


def test_purposes_are_not_linkable():
    assert identity.fingerprint(REQUEST, "view") != identity.fingerprint(REQUEST, "comments")
