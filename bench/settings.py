"""`make bench` runs the product's own settings, plus a trivial baseline view and a query counter.

Both additions apply to every measured page alike, so ratios stay fair.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]
