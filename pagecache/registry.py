"""What apps plug into the page cache: live fragments, hit hooks and prefetches, private cookies,
freshness.

Apps register in their `AppConfig.ready()`; the page cache itself knows nothing about articles or
comments, so the dependency points from the apps to this one.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest


@dataclass(frozen=True)
class LiveFragment:
    # Turns a value into HTML; the template tag and the serve-time fill both use it.
    render: Callable[[object], str]
    # Loads current values for a batch of keys at serve time: {key: value}; a key left out keeps
    # the HTML the page was stored with.
    load: Callable[[HttpRequest, list[str]], dict[str, object]]


# Queues a hook's own Redis step on the pipeline that reads a stored page's version tokens, so that
# a hit running it is still one round trip. Called with (request, argument, pipeline); returns what
# to do with the replies of its step, or None if it queued nothing (the hook then runs as usual).
# The replies are handed over whether or not the page proves current, because the step has happened
# either way: if the page is rendered instead, the hook's app must not repeat the step.
HitQueue = Callable[[HttpRequest, str, object], Callable[[list], None] | None]


@dataclass(frozen=True)
class HitHook:
    # Does on a hit what the page's view would have done, with the argument it recorded
    # (`middleware.on_hit`); not called on a hit where `queue` already did it.
    run: Callable[[HttpRequest, str], None]
    queue: HitQueue | None = None


fragments: dict[str, LiveFragment] = {}
hit_hooks: dict[str, HitHook] = {}
# On Redis, each may queue the reads that serving a stored page will need on the pipeline that
# reads the page's version tokens, so that a hit costs one round trip, not one per reader. Called
# with (request, entry, pipeline); returns what to do with the replies of its own reads once the
# page proves current, or None if it queued nothing. A prefetch must not read what a hit hook
# changes (a counted view changes the view count): a hook that is not queued runs only after the
# replies, and a queued one only on the process's own copy, not on the shared store's.
HitPrefetch = Callable[[HttpRequest, object, object], Callable[[list], None] | None]
hit_prefetches: dict[str, HitPrefetch] = {}
private_cookies: set[str] = set()
# Each returns the next moment the site changes by itself (a scheduled article going live), or None.
change_schedules: list[Callable[[], datetime | None]] = []


def register_fragment(name: str, *, render, load) -> None:
    fragments[name] = LiveFragment(render=render, load=load)


def register_hit_hook(name: str, hook, *, queue: HitQueue | None = None) -> None:
    hit_hooks[name] = HitHook(run=hook, queue=queue)


def register_hit_prefetch(name: str, prefetch: HitPrefetch) -> None:
    hit_prefetches[name] = prefetch


def register_private_cookies(names: Iterable[str]) -> None:
    """Cookies that make a page personal: a request carrying one is neither served nor stored."""
    private_cookies.update(names)


def register_change_schedule(next_change) -> None:
    change_schedules.append(next_change)
