import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Greatest, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import markup, roles, search
from .images import AVATAR_WIDTHS, COVER_WIDTHS, make_renditions


def person_name(user) -> str:
    """How a person is named wherever the site shows them: full name, else username."""
    return user.get_full_name() or user.get_username()


# How many of the newest articles sharing a tag `related_to()` ranks by tags in common.
RELATED_CANDIDATES = 200


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publish time that has arrived.

        Every reader-facing path (pages, lists, feeds, search, template tags) starts here, so a
        scheduled article appears at its publish time with no job to run.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Published articles with everything a list row shows, in a fixed number of queries."""
        return self.published().select_related("author__profile").prefetch_related("tags")

    def before(self, article):
        """Published articles older than `article` (publish time, then id), newest first.

        The redundant `published_at__lte` bound lets PostgreSQL start the index scan of
        `article_published_idx` at the article; with the OR alone it walked every newer article
        (`.first()`: 55 ms for the newest of 100,000, 0.05 ms with the bound).
        """
        return (
            self.published()
            .filter(published_at__lte=article.published_at)
            .filter(
                models.Q(published_at__lt=article.published_at)
                | models.Q(published_at=article.published_at, id__lt=article.id)
            )
            .order_by("-published_at", "-id")
        )

    def after(self, article):
        """Published articles newer than `article` (publish time, then id), oldest first; bounded
        like `before()`."""
        return (
            self.published()
            .filter(published_at__gte=article.published_at)
            .filter(
                models.Q(published_at__gt=article.published_at)
                | models.Q(published_at=article.published_at, id__gt=article.id)
            )
            .order_by("published_at", "id")
        )

    def related_to(self, article, tag_ids, candidates=RELATED_CANDIDATES):
        """Other published articles sharing tags in `tag_ids`: most shared tags, then newest, among
        the newest `candidates` articles that share at least one.

        `shared_tags` counts only the tags in common, because the filter on the tag join comes
        before the annotation. The candidate bound keeps the cost flat: ranking every article that
        shares a tag counted the tags of a tenth of the site per tag (150 ms, a sequential scan of
        100,000 articles); the newest candidates come from `article_published_idx`, newest first,
        each checked against the tag table's (article, tag) index until enough are found.
        """
        shares_a_tag = Article.tags.through.objects.filter(
            article_id=models.OuterRef("pk"), tag_id__in=tag_ids
        )
        newest = (
            self.published()
            .exclude(pk=article.pk)
            .filter(models.Exists(shares_a_tag))
            .order_by("-published_at", "-id")
            .values("pk")[:candidates]
        )
        return (
            self.published()
            .filter(pk__in=newest)
            .filter(tags__in=tag_ids)
            .annotate(shared_tags=models.Count("tags"))
            .order_by("-shared_tags", "-published_at", "-id")
        )

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def waiting_for_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def editable_by(self, user):
        """The articles `user` may open in the admin: every one for Editors, their own otherwise."""
        if roles.can_edit_any_article(user):
            return self
        return self.filter(author=user)

    def desk_counts(self, user):
        """An author's drafts, scheduled articles and those waiting for review, in one query."""
        now = timezone.now()
        return self.filter(author=user).aggregate(
            drafts=Count("pk", filter=Q(status=Article.Status.DRAFT)),
            scheduled=Count("pk", filter=Q(status=Article.Status.PUBLISHED, published_at__gt=now)),
            in_review=Count("pk", filter=Q(status=Article.Status.REVIEW)),
        )

    def search(self, query):
        """Articles matching a reader's search, best first, each with its `search_rank`.

        Full-text search on PostgreSQL or SQLite FTS5 (see `articles.search`); chain it after
        `published()` or `for_listing()` so that search never reaches drafts.
        """
        return search.matching(self, query)

    def archive_months(self):
        """Months with published articles, newest first, for the archive index and the sitemap.

        Rows are `{"month": datetime, "count": n, "last_modified": datetime}`; `last_modified` is
        when the month's page last changed (an article in it edited or published). Months are cut
        in the site's time zone (`TIME_ZONE`), like the archive's URLs.
        """
        return (
            self.published()
            .annotate(month=TruncMonth("published_at", tzinfo=timezone.get_default_timezone()))
            .values("month")
            .annotate(
                count=models.Count("id"),
                last_modified=models.Max(Greatest("updated_at", "published_at")),
            )
            .order_by("-month")
        )

    def most_read_since(self, day):
        """Published articles ranked by views from `day` on (day rows), as `period_views`."""
        return (
            self.published()
            .filter(daily_views__day__gte=day)
            .annotate(period_views=models.Sum("daily_views__views"))
            .order_by("-period_views", "-published_at", "-id")
        )


class TagQuerySet(models.QuerySet):
    def in_navigation(self):
        """The tags an editor chose for the site header, in their chosen order."""
        return self.filter(show_in_navigation=True).order_by("navigation_order", "name")


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="The tag page's address: /tags/&lt;slug&gt;/."
    )
    description = models.TextField(
        blank=True, help_text="A few sentences shown on the tag page and in its feeds."
    )
    show_in_navigation = models.BooleanField(
        default=False, help_text="Show this tag in the site header's menu."
    )
    navigation_order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the header's menu; lower numbers come first."
    )

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["navigation_order", "name"],
                condition=models.Q(show_in_navigation=True),
                name="tag_navigation_idx",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class AuthorProfileQuerySet(models.QuerySet):
    def ensure_for(self, user):
        """The user's profile, created from their name the first time they write."""
        profile = self.filter(user=user).first()
        if profile is not None:
            return profile
        name = person_name(user)
        base = slugify(user.get_username()) or slugify(name) or "author"
        slug, n = base, 1
        while self.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return self.get_or_create(user=user, defaults={"display_name": name, "slug": slug})[0]


class AuthorProfile(models.Model):
    """The public face of a writer: the byline, the author page and feeds use it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=150, help_text="The name on bylines.")
    slug = models.SlugField(
        max_length=150, unique=True, help_text="The author page's address: /authors/&lt;slug&gt;/."
    )
    bio = models.TextField(blank=True, help_text="A few sentences shown on the author page.")
    website = models.URLField(blank=True)
    avatar = models.ImageField(
        upload_to="avatars/",
        blank=True,
        help_text="A photo of you; it is cropped to a square. JPEG, PNG, WebP or GIF, up to 10 MB.",
    )
    avatar_renditions = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuthorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _refresh_renditions(self, "avatar", "avatar_renditions", square=True)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


def _refresh_renditions(instance, image_field, renditions_field, *, square=False):
    """Make the renditions of `image_field` if the stored image is not the one they were made from.

    Runs after the row is saved, when the upload has its final storage name; costs nothing when the
    image is unchanged, and one UPDATE of the renditions column when it changed.
    """
    image = getattr(instance, image_field)
    current = getattr(instance, renditions_field) or {}
    if (image.name or "") == current.get("source", ""):
        return
    widths = AVATAR_WIDTHS if square else COVER_WIDTHS
    renditions = make_renditions(image, widths=widths, square=square) if image else {}
    setattr(instance, renditions_field, renditions)
    type(instance)._base_manager.filter(pk=instance.pk).update(**{renditions_field: renditions})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Waiting for review"
        PUBLISHED = "published", "Published"

    # Counters are written only by the services that own them, with single atomic UPDATEs;
    # `save()` leaves them out so that an editor saving the form never overwrites a newer count.
    COUNTER_FIELDS = frozenset({"view_count", "comment_count"})
    # What a revision leaves out: counters (restoring must never roll them back; see
    # `articles.revisions`) and what `derive_fields()` computes from the body.
    REVISION_EXCLUDE = (*COUNTER_FIELDS, "body_html", "summary", "word_count")

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The article's address: /articles/&lt;slug&gt;/."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles"
    )
    body = models.TextField(help_text="Markdown. Blank lines separate paragraphs.")
    excerpt = models.TextField(
        blank=True,
        help_text="Shown in lists and link previews. Leave empty to use the first paragraph.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish date",
        null=True,
        blank=True,
        help_text="Readers see the article from this moment on; a future time schedules it.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    cover_image = models.ImageField(
        upload_to="covers/%Y/%m/",
        blank=True,
        help_text="Optional. JPEG, PNG, WebP or GIF up to 10 MB; 1600 px wide or more looks best.",
    )
    # Resized copies made once when the image changes (articles.images.make_renditions).
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    cover_alt = models.CharField(
        "cover image description",
        max_length=250,
        blank=True,
        help_text="What the cover image shows, for readers who cannot see it.",
    )
    comments_open = models.BooleanField(
        default=True, help_text="Untick to stop new comments on this article."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    body_html = models.TextField(editable=False, default="")
    # The body as plain text: what search indexes and quotes in its snippets (articles/search.py).
    body_text = models.TextField(editable=False, default="")
    summary = models.TextField(editable=False, default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    view_count = models.PositiveBigIntegerField("views", default=0, editable=False)
    comment_count = models.PositiveIntegerField("comments", default=0, editable=False)

    # Views recorded after `view_count` was read: still buffered in Redis, or counted by the current
    # request. `articles.counters` fills it in; templates show `live_view_count`.
    recent_views = 0

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [("edit_any_article", "Can edit and reassign every author's articles")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["author", "status", "-published_at"], name="article_author_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.derive_fields()
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.COUNTER_FIELDS
            ]
        super().save(*args, **kwargs)
        _refresh_renditions(self, "cover_image", "cover_renditions")

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        try:
            markup.check_markdown(self.body)
        except markup.MarkupError as error:
            raise ValidationError({"body": str(error)}) from None
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": _("Describe the cover image for readers who cannot see it.")}
            )

    def derive_fields(self):
        """Fill in everything computed from the body: the rendered HTML, the plain text search
        indexes, word count and summary."""
        self.body_html = markup.render_markdown(self.body)
        text = markup.plain_text(self.body_html)
        self.body_text = search.indexable_text(text)
        self.word_count = markup.word_count(text)
        self.summary = self.excerpt.strip() or markup.summarize(text)

    @property
    def live_view_count(self) -> int:
        """The view count a reader should see: stored total plus what is not stored yet."""
        return self.view_count + self.recent_views

    @property
    def reading_minutes(self) -> int:
        return markup.reading_minutes(self.word_count)

    @property
    def author_name(self) -> str:
        profile = getattr(self.author, "profile", None)
        if profile is not None:
            return profile.display_name
        return person_name(self.author)

    @property
    def author_profile(self):
        """The author's public profile, or None; select `author__profile` to avoid a query."""
        try:
            return self.author.profile
        except AuthorProfile.DoesNotExist:
            return None

    @property
    def byline(self) -> str:
        """The name readers see: the profile's display name, else the account's name."""
        profile = self.author_profile
        return profile.display_name if profile else self.author_name

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


reversion.register(Article, exclude=Article.REVISION_EXCLUDE)


class DailyArticleViews(models.Model):
    """Views of one article on one day (site time zone): one row per article per day.

    Written only by `articles.counters.add_views`, which upserts these rows and raises
    `Article.view_count` by the same amount in one transaction, so totals and day rows cannot
    disagree. No trigger: loading rows from a fixture or a backup leaves totals as loaded. Deleting
    old rows (pruning history) deliberately leaves the totals alone.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "daily article views"
        verbose_name_plural = "daily article views"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="daily_views_article_day_uniq")
        ]
        indexes = [models.Index(fields=["day"], name="daily_views_day_idx")]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.views}"


class AppliedViewBatch(models.Model):
    """A batch of buffered views already written to the database.

    Recorded in the same transaction as the batch itself, so a flush that dies between committing
    and deleting the batch from Redis is never applied twice.
    """

    batch_id = models.CharField(max_length=64, primary_key=True)
    applied_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.batch_id
