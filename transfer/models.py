"""What an import leaves behind: which source item became which article or comment, and the old
addresses that now redirect to the new ones.

The mappings make `import_blog` idempotent: an item whose GUID is already mapped is not imported
again. Redirects point at an article, not at a URL, so they follow later slug changes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.models import Comment


class RedirectQuerySet(models.QuerySet):
    def to_public_articles(self):
        """Only redirects a reader may follow: a redirect never reveals a draft's new address."""
        return self.filter(article__in=Article.objects.published())


class Redirect(models.Model):
    """An old address (path, with its query for links like `/?p=12`) answered with a 301."""

    old_path = models.CharField(
        _("old path"),
        max_length=500,
        unique=True,
        help_text=_("Path on the old site, e.g. /2023/08/02/my-post/ or /?p=12 (no host)."),
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return self.old_path


class ImportedArticle(models.Model):
    """A source post (by its GUID) that became `article`."""

    guid = models.CharField(max_length=500, unique=True)
    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="imported_from")
    source_format = models.CharField(max_length=10)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return self.guid


class ImportedComment(models.Model):
    """A source comment (its post's GUID and its own id) that became `comment`."""

    guid = models.CharField(max_length=520, unique=True)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="imported_from")

    def __str__(self):
        return self.guid
