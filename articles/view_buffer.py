"""Redis side of buffered view counting: pending counts, batches, and the flush-due marker.

Only used when the default cache is Django's RedisCache (see `is_enabled`). Two hashes hold what the
database does not have yet, always changed together in one Lua step so they agree:

    views:pending:totals   article id            -> views not yet in Article.view_count
    views:pending:days     "<article id>:<date>" -> views not yet in that DailyArticleViews row

Two more hashes keep copies of the stored totals readers are shown, so that a page served from the
page cache reads stored and pending counts in one round trip (`queue_live_counts`):

    views:stored           article id            -> Article.view_count as last read
    views:stored-comments  article id            -> Article.comment_count as last read

They expire as a whole COUNTS_TTL_SECONDS after they were created, and writers drop the fields
they change (`forget_stored`); the expiry bounds only a reader who read an old row while a write
committed.

A flush claims both pending hashes at once by renaming them to batch keys named by a fresh batch id
(and lists the id in `views:batches`), so views arriving during the flush start new pending hashes.
A batch never changes after it is claimed, which is what makes re-applying it safe to detect. Keys
go through `cache.make_key`, so KEY_PREFIX and VERSION apply and `cache.clear()` removes them.
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches

from pagecache import shared_redis

PENDING_TOTALS = "views:pending:totals"
PENDING_DAYS = "views:pending:days"
BATCHES = "views:batches"
STORED_VIEWS = "views:stored"
STORED_COMMENTS = "views:stored-comments"
# How long copies of stored totals are kept at most (in either mode, see `articles.counters`).
COUNTS_TTL_SECONDS = 60
FLUSH_DUE_MARKER = "views:flushed-recently"

# Atomically claim the pending hashes as batch `ARGV[1]`, or report that nothing is pending.
# The two hashes are created together by INCREMENT_SCRIPT, so `days` existing implies `totals` does.
CLAIM_BATCH_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[3])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[4]) end
redis.call('SADD', KEYS[5], ARGV[1])
return 1
"""


def is_enabled() -> bool:
    return shared_redis.is_redis(caches[DEFAULT_CACHE_ALIAS])


def redis_client():
    """The redis-py client behind the default cache: Django's cache API has no hashes, pipelines or
    scripts, which buffering needs to stay atomic."""
    return shared_redis.client(caches[DEFAULT_CACHE_ALIAS])


def _key(name: str) -> str:
    return cache.make_key(name)


def _batch_keys(batch_id: str) -> tuple[str, str]:
    return _key(f"views:batch:{batch_id}:days"), _key(f"views:batch:{batch_id}:totals")


# Buffer one view, unless the visitor's seen-marker KEYS[7] (optional) is already set: marker, both
# pending hashes and the flush-due marker change in one step. Whether counted or not, it also reads
# what the article's page shows (its stored-total copies and pending views), so a page-cache hit
# needs no second round trip for them. Sent with EVAL, not EVALSHA: it travels in pipelines with
# other commands (the page cache's version check), where redis-py would first ask whether the
# script is loaded, one more round trip on every call; Redis keeps the compiled script either way.
INCREMENT_SCRIPT = b"""
local counted = #KEYS == 7 and redis.call('SET', KEYS[7], 1, 'NX', 'EX', ARGV[4]) ~= false
    or #KEYS == 6
local total, flush_due = redis.call('HGET', KEYS[1], ARGV[1]), 0
if counted then
  total = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  if redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[3]) then flush_due = 1 end
end
return {counted and 1 or 0, tonumber(total) or 0, flush_due,
  redis.call('HGET', KEYS[4], ARGV[1]), redis.call('HGET', KEYS[5], ARGV[1]),
  redis.call('SCARD', KEYS[6])}
"""


class Increment(NamedTuple):
    counted: bool
    # The article's views not yet in the database (not counting batches a flush has claimed).
    pending_total: int
    # Whether this request is the one that flushes now.
    flush_due: bool
    # (views, comments) as readers should see them now; None if a stored-total copy is missing or a
    # flush is under way (`live_counts_from` then knows more).
    live: tuple[int, int] | None


def queue_increment(
    pipe, *, article_id: int, day: date, seen_key: str | None = None, window_seconds: int = 0
) -> Callable[[list], Increment]:
    """Queue on a pipeline the step that buffers one view and reads the article's live counts, and
    return what turns its reply into the `Increment`.

    With `seen_key` (a cache key, as `cache.add` takes it), the view is buffered only if that key
    was not set, and the key is then set for `window_seconds`. The flush-due marker is set with NX
    and a TTL of VIEW_FLUSH_INTERVAL seconds in the same step: whoever sets it is the one request
    that flushes in this interval.
    """
    keys = [
        _key(PENDING_TOTALS),
        _key(PENDING_DAYS),
        _key(FLUSH_DUE_MARKER),
        _key(STORED_VIEWS),
        _key(STORED_COMMENTS),
        _key(BATCHES),
    ]
    args = [article_id, f"{article_id}:{day.isoformat()}", settings.VIEW_FLUSH_INTERVAL]
    # A window of 0 (VIEW_COUNT_WINDOW_MINUTES=0) counts every view, as `cache.add` with a timeout
    # of 0 does in direct mode; Redis would refuse `EX 0`.
    if seen_key is not None and window_seconds > 0:
        keys.append(_key(seen_key))
        args.append(window_seconds)
    pipe.eval(INCREMENT_SCRIPT, len(keys), *keys, *args)

    def finish(replies: list) -> Increment:
        ((counted, pending_total, flush_due, views, comments, claimed),) = replies
        known = views is not None and comments is not None and not claimed
        return Increment(
            counted=bool(counted),
            pending_total=pending_total,
            flush_due=bool(flush_due),
            live=(int(views) + pending_total, int(comments)) if known else None,
        )

    return finish


def pending_totals(article_ids: list[int]) -> dict[int, int]:
    """Views per article not yet in the database: pending, and claimed by a flush not yet finished
    (or left behind by one that failed). One round trip whatever the number of articles, a second
    while a flush is under way."""
    if not article_ids:
        return {}
    with redis_client().pipeline(transaction=False) as pipe:
        pipe.hmget(_key(PENDING_TOTALS), article_ids)
        pipe.smembers(_key(BATCHES))
        pending, claimed = pipe.execute()
    return _sum_pending(article_ids, pending, claimed)


def _sum_pending(article_ids: list[int], pending: list, claimed: set) -> dict[int, int]:
    rows = [pending]
    if claimed:
        with redis_client().pipeline(transaction=False) as pipe:
            for batch_id in claimed:
                pipe.hmget(_batch_keys(batch_id.decode())[1], article_ids)
            rows += pipe.execute()
    totals = {}
    for values in rows:
        for pk, value in zip(article_ids, values, strict=True):
            if value:
                totals[pk] = totals.get(pk, 0) + int(value)
    return totals


def queue_live_counts(pipe, article_ids: list[int]) -> None:
    """Queue on a pipeline the reads of `live_counts_from` (one round trip with whatever else the
    pipeline carries). `article_ids` must not be empty."""
    pipe.hmget(_key(STORED_VIEWS), article_ids)
    pipe.hmget(_key(STORED_COMMENTS), article_ids)
    pipe.hmget(_key(PENDING_TOTALS), article_ids)
    pipe.smembers(_key(BATCHES))


def live_counts_from(
    article_ids: list[int], replies: list
) -> tuple[dict[int, tuple[int, int]], dict[int, int]]:
    """(stored totals known here as {id: (views, comments)}, `pending_totals`) from the replies to
    `queue_live_counts`; one more round trip only while a flush is under way."""
    views, comments, pending, claimed = replies
    stored = {
        pk: (int(view_count), int(comment_count))
        for pk, view_count, comment_count in zip(article_ids, views, comments, strict=True)
        if view_count is not None and comment_count is not None
    }
    return stored, _sum_pending(article_ids, pending, claimed)


def remember_stored(counts: dict[int, tuple[int, int]]) -> None:
    """Keep copies of stored totals {id: (views, comments)} just read from the database."""
    if not counts:
        return
    with redis_client().pipeline(transaction=True) as pipe:
        for key, position in ((STORED_VIEWS, 0), (STORED_COMMENTS, 1)):
            pipe.hset(_key(key), mapping={pk: values[position] for pk, values in counts.items()})
            pipe.expire(_key(key), COUNTS_TTL_SECONDS, nx=True)
        pipe.execute()


def forget_stored(article_ids, *, views: bool, comments: bool) -> None:
    keys = [STORED_VIEWS] * views + [STORED_COMMENTS] * comments
    with redis_client().pipeline(transaction=True) as pipe:
        for key in keys:
            pipe.hdel(_key(key), *article_ids)
        pipe.execute()


def claim_batch() -> str | None:
    """Move everything pending into a new batch; returns its id, or None if nothing was pending."""
    batch_id = uuid.uuid4().hex
    days_key, totals_key = _batch_keys(batch_id)
    claimed = redis_client().eval(
        CLAIM_BATCH_SCRIPT,
        5,
        _key(PENDING_DAYS),
        _key(PENDING_TOTALS),
        days_key,
        totals_key,
        _key(BATCHES),
        batch_id,
    )
    return batch_id if claimed else None


def batch_ids() -> list[str]:
    """Batches claimed but not yet discarded: the one being flushed, or ones a crash left behind."""
    return sorted(member.decode() for member in redis_client().smembers(_key(BATCHES)))


def batch_counts(batch_id: str) -> dict[tuple[int, date], int]:
    days_key, _ = _batch_keys(batch_id)
    counts = {}
    for field, value in redis_client().hgetall(days_key).items():
        article_id, day = field.decode().split(":")
        counts[int(article_id), date.fromisoformat(day)] = int(value)
    return counts


def discard_batch(batch_id: str) -> None:
    """Forget a batch the database has (or had already) applied."""
    with redis_client().pipeline(transaction=True) as pipe:
        pipe.delete(*_batch_keys(batch_id))
        pipe.srem(_key(BATCHES), batch_id)
        pipe.execute()


def pending_views() -> int:
    """All views not yet in the database, pending and claimed (for `flush_views --dry-run`)."""
    client = redis_client()
    keys = [_key(PENDING_TOTALS)] + [_batch_keys(batch_id)[1] for batch_id in batch_ids()]
    return sum(int(value) for key in keys for value in client.hvals(key))
