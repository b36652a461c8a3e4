"""An always-fresh page cache for anonymous readers.

Policy, in one place:

- **What is cached.** A GET answered 200 to a reader without a session, messages or any other
  private cookie (apps register theirs), whose query string holds only parameters listed in
  `PAGE_CACHE_QUERY_PARAMS` (page numbers and search queries by default), and whose response is
  not marked private, no-store or no-cache and sets no cookie but the CSRF one. Previews, forms
  with errors (POSTs, 4xx), logged-in staff and pages carrying messages are therefore never stored.
- **Freshness is exact, not timed.** Every stored page records the version tokens of the scopes it
  depends on: `site` (any article, tag or profile change) and the scopes its view declared with
  `depends_on()` (an article page depends on `article:<id>`, dropped when its comments change).
  Content writes go through `save()`/`delete()` (signals) or the comment services; a raw
  `QuerySet.update()` of article content must call `store.invalidate_site()` itself.
  A page is served only if every token still matches, and only until `stale_at`, the next moment a
  scheduled article goes live. Versions are read *before* the view reads the database and dropped
  *after* the writer commits, so a page rendered from old data can never be stored as current.
- **Numbers that move stay live.** Fragments wrapped by `{% live %}` (view and comment counts, the
  comment form's one-time token) are re-rendered at serve time by loaders their apps registered,
  and the CSRF token is replaced by the visitor's own. Hooks registered for a page (counting a view)
  do on every hit what the view would have. On Redis, a hook may instead be queued on the pipeline
  that reads the version tokens of the process's own copy (so it also runs when that copy proves
  outdated, and its app must then not repeat it in the render), and apps may register hit
  prefetches that read what the loaders need there, so that a hit is one round trip.

The middleware is the last in `MIDDLEWARE`, so every other middleware still sees a hit.
"""
