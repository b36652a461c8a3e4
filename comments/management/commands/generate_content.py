"""Fill the database with realistic fake content, for benchmarks and for trying the site at scale.

    python manage.py generate_content --articles 1000 --comments 10000 --authors 20 [--seed 1]

Everything is written with bulk inserts in batches, so 100,000 articles and 1,000,000 comments take
minutes. Text comes from Faker, drawn from pools rendered once (Markdown and comment HTML go through
the same renderers as a normal save). The same seed gives the same content, dated relative to now.

It lives in the comments app because it writes articles and comments, and only this app may import
both.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from articles.models import Article, AuthorProfile, DailyArticleViews, Tag
from comments import text
from comments.models import Comment
from comments.services import refresh_comment_counts

BATCH = 5_000
POOL = 300
# The newest article gets this many comments, for the "article with many comments" benchmark.
BUSY_ARTICLE_COMMENTS = 500
TAG_NAMES = [
    "Politics", "Economy", "Science", "Health", "Culture", "Sport", "Technology", "Climate",
    "Asia", "Europe", "Africa", "Americas", "Education", "Travel", "Food", "Opinion",
    "Analysis", "Interview", "Data", "History",
]  # fmt: skip


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1_000)
        parser.add_argument("--comments", type=int, default=10_000)
        parser.add_argument("--authors", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *, articles, comments, authors, seed, verbosity, **options):
        if articles < 1 or authors < 1 or comments < 0:
            raise CommandError(
                "--articles and --authors must be at least 1, --comments at least 0."
            )
        try:
            from faker import Faker
        except ImportError:
            raise CommandError("generate_content needs Faker: pip install -e '.[test]'") from None
        if get_user_model().objects.filter(username__startswith=f"writer-s{seed}-").exists():
            raise CommandError(f"Content for --seed {seed} exists already; choose another seed.")
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = Faker()
        self.fake.seed_instance(seed)
        self.now = timezone.now()
        self.progress = verbosity >= 1
        started = timezone.now()
        with transaction.atomic():
            users = self.make_authors(authors)
            tags = self.make_tags()
            article_ids = self.make_articles(articles, users, tags)
            self.make_views(article_ids)
            self.make_comments(comments, article_ids)
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {articles:,} articles, {comments:,} comments and {authors:,} authors "
                f"in {seconds:.1f} s."
            )
        )

    def bar(self, total, description):
        return tqdm(total=total, desc=description, unit="rows", disable=not self.progress)

    def make_authors(self, count):
        unusable = make_password(None)
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"writer-s{self.seed}-{number}",
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
                password=unusable,
            )
            for number in range(count)
        )
        AuthorProfile.objects.bulk_create(
            AuthorProfile(
                user=user,
                display_name=f"{user.first_name} {user.last_name}",
                slug=slugify(f"{user.first_name} {user.last_name} {user.username}")[:50],
                bio=self.fake.sentence(nb_words=14),
            )
            for user in users
        )
        return users

    def make_tags(self):
        existing = {tag.slug: tag for tag in Tag.objects.all()}
        missing = [name for name in TAG_NAMES if slugify(name) not in existing]
        Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in missing)
        return list(Tag.objects.filter(slug__in=[slugify(name) for name in TAG_NAMES]))

    def article_pool(self):
        pool = []
        for _ in range(POOL):
            paragraphs = self.rng.randint(3, 30)
            body = "\n\n".join(
                (f"## {self.fake.sentence(nb_words=5)}\n\n" if self.rng.random() < 0.15 else "")
                + self.fake.paragraph(nb_sentences=self.rng.randint(3, 8))
                for _ in range(paragraphs)
            )
            sample = Article(body=body, excerpt="")
            sample.derive_fields()
            pool.append(sample)
        return pool

    def make_articles(self, count, users, tags):
        pool = self.article_pool()
        spread_days = max(30, count // 20)
        ids = []
        with self.bar(count, "articles") as bar:
            for start in range(0, count, BATCH):
                batch = []
                for number in range(start, min(start + BATCH, count)):
                    sample = self.rng.choice(pool)
                    title = self.fake.sentence(nb_words=self.rng.randint(4, 11)).rstrip(".")
                    roll = self.rng.random()
                    if roll < 0.03:
                        status, published_at = Article.Status.DRAFT, None
                    elif roll < 0.05:
                        status = Article.Status.PUBLISHED
                        published_at = self.now + timedelta(hours=self.rng.randint(1, 240))
                    else:
                        status = Article.Status.PUBLISHED
                        published_at = self.now - timedelta(
                            minutes=self.rng.randint(60, spread_days * 24 * 60)
                        )
                    batch.append(
                        Article(
                            title=title,
                            slug=f"{slugify(title)[:150]}-s{self.seed}-{number}",
                            author=self.rng.choice(users),
                            body=sample.body,
                            body_html=sample.body_html,
                            word_count=sample.word_count,
                            summary=sample.summary,
                            status=status,
                            published_at=published_at,
                        )
                    )
                created = Article.objects.bulk_create(batch)
                Article.tags.through.objects.bulk_create(
                    Article.tags.through(article_id=article.pk, tag_id=tag.pk)
                    for article in created
                    for tag in self.rng.sample(tags, self.rng.randint(1, 3))
                )
                ids += [
                    article.pk
                    for article in created
                    if article.status == Article.Status.PUBLISHED
                    and article.published_at <= self.now
                ]
                bar.update(len(batch))
        return ids

    def make_views(self, article_ids):
        """Day rows for a fifth of the articles over the last week; totals are their sums."""
        today = timezone.localdate()
        rows = [
            DailyArticleViews(article_id=pk, day=today - timedelta(days=back), views=views)
            for pk in article_ids
            if self.rng.random() < 0.2
            for back in range(self.rng.randint(1, 7))
            if (views := self.rng.randint(1, 400))
        ]
        for start in range(0, len(rows), BATCH):
            DailyArticleViews.objects.bulk_create(rows[start : start + BATCH])
        day_sum = (
            DailyArticleViews.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(total=Sum("views"))
            .values("total")
        )
        for chunk in chunks(article_ids):
            Article.objects.filter(pk__in=chunk).update(view_count=Coalesce(Subquery(day_sum), 0))

    def comment_pool(self):
        pool = []
        for _ in range(POOL):
            body = self.fake.paragraph(nb_sentences=self.rng.randint(1, 6))
            pool.append(Comment(body=body, body_html=text.render(body)))
        names = [(self.fake.name(), self.fake.email()) for _ in range(POOL)]
        return pool, names

    def make_comments(self, count, article_ids):
        if not count or not article_ids:
            return
        pool, names = self.comment_pool()
        busy = max(article_ids)
        top_level_by_article: dict[int, list[int]] = {}
        statuses = [Comment.Status.APPROVED] * 17 + [Comment.Status.PENDING] * 2
        statuses += [Comment.Status.SPAM]

        def comment(article_id, parent_id=None, status=None):
            sample = self.rng.choice(pool)
            name, email = self.rng.choice(names)
            return Comment(
                article_id=article_id,
                parent_id=parent_id,
                name=name,
                email=email,
                body=sample.body,
                body_html=sample.body_html,
                status=status or self.rng.choice(statuses),
                reason=Comment.Reason.TRUSTED,
                created_at=self.now - timedelta(minutes=self.rng.randint(1, 60 * 24 * 90)),
            )

        top_level_count = count - count * 3 // 10
        with self.bar(count, "comments") as bar:
            planned = [busy] * min(BUSY_ARTICLE_COMMENTS, top_level_count)
            planned += [self.rng.choice(article_ids) for _ in range(top_level_count - len(planned))]
            for start in range(0, len(planned), BATCH):
                chunk = [
                    comment(pk, status=Comment.Status.APPROVED if pk == busy else None)
                    for pk in planned[start : start + BATCH]
                ]
                for created in Comment.objects.bulk_create(chunk):
                    if created.status == Comment.Status.APPROVED:
                        top_level_by_article.setdefault(created.article_id, []).append(created.pk)
                bar.update(len(chunk))
            parents = [pk for ids in top_level_by_article.values() for pk in ids]
            article_of = {
                pk: article for article, ids in top_level_by_article.items() for pk in ids
            }
            replies = count - top_level_count
            for start in range(0, replies, BATCH):
                chunk = []
                for _ in range(min(BATCH, replies - start)):
                    parent = self.rng.choice(parents)
                    chunk.append(comment(article_of[parent], parent_id=parent))
                Comment.objects.bulk_create(chunk)
                bar.update(len(chunk))
        for chunk in chunks(article_ids):
            refresh_comment_counts(article_ids=chunk)


def chunks(ids, size=BATCH):
    """Slices small enough for any database's limit on query parameters."""
    return (ids[start : start + size] for start in range(0, len(ids), size))
