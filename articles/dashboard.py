"""The author's dashboard on the admin index: what is theirs to finish, and how it is read.

Three queries whatever the number of articles: the unfinished articles (drafts, waiting for
review, scheduled), the desk counts, and the recent published articles with their views over the
last `VIEW_DAYS` days from the day rows. Comments waiting on their articles come from the comments
app's own tag, one more query.
"""

from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from .models import Article

VIEW_DAYS = 7
LIST_LENGTH = 8


def desk_summary(user) -> dict:
    now = timezone.now()
    mine = Article.objects.filter(author=user)
    unfinished = mine.filter(
        Q(status__in=[Article.Status.DRAFT, Article.Status.REVIEW])
        | Q(status=Article.Status.PUBLISHED, published_at__gt=now)
    ).order_by("-updated_at")[:LIST_LENGTH]
    since = timezone.localdate() - timedelta(days=VIEW_DAYS - 1)
    recent = (
        mine.published()
        .annotate(week_views=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
        .order_by("-published_at")[:LIST_LENGTH]
    )
    return {
        "counts": Article.objects.desk_counts(user),
        "unfinished": list(unfinished.only("pk", "title", "status", "published_at", "updated_at")),
        "recent": list(recent.only("pk", "title", "slug", "published_at")),
        "view_days": VIEW_DAYS,
    }
