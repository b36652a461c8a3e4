"""Staff-only pages of the writer's desk: article preview, live Markdown preview, image upload.

- The preview shows a draft exactly as readers will see it, to its author and to Editors only
  (others get 404, anonymous visitors the login page). It is never cached, never indexed and never
  counted as a view (it does not go through `tracking`).
- The live preview renders the editor's text through the same `markup.render_markdown` readers get;
  it is POST-only with CSRF, so another site cannot make a logged-in writer's browser use it.
- Insert image validates uploads exactly like cover images (`images.clean_upload`) and answers the
  Markdown to insert.
"""

import logging
from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import default_storage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from . import markup, roles
from .forms import InsertImageForm, PreviewForm
from .models import Article

logger = logging.getLogger(__name__)


class ArticlePreviewView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.select_related("author__profile").prefetch_related("tags"),
            pk=self.kwargs["pk"],
        )
        if not (self.request.user.is_staff and roles.can_edit_article(self.request.user, article)):
            raise Http404(_("No article found."))
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


article_preview = staff_member_required(never_cache(ArticlePreviewView.as_view()))


def writers_only(view):
    """Staff who may write articles; others get the admin login (anonymous) or a 403 in JSON."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.has_perm("articles.add_article"):
            return JsonResponse({"error": _("Only writers may use the editor.")}, status=403)
        return view(request, *args, **kwargs)

    return never_cache(staff_member_required(require_POST(guarded)))


@writers_only
def render_preview(request):
    """The editor's body as readers would get it: {"html", "words", "minutes"}, or 400."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["body"])}, status=400)
    try:
        html = markup.render_markdown(form.cleaned_data["body"])
    except markup.MarkupError as error:
        # The renderer refuses some input (too large, nested too deep); say so, not a 500.
        logger.info("Live preview refused: %s", error)
        message = str(error) or _("This text cannot be previewed.")
        return JsonResponse({"error": message}, status=400)
    words = markup.word_count(markup.plain_text(html))
    return JsonResponse({"html": html, "words": words, "minutes": markup.reading_minutes(words)})


@writers_only
def upload_image(request):
    """Store an image for the body; answers {"url", "markdown"} or 400 with the reason."""
    form = InsertImageForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    image = form.cleaned_data["image"]
    name = default_storage.save(f"inline/{timezone.now():%Y/%m}/{image.name}", image)
    url = default_storage.url(name)
    alt = form.cleaned_data["alt"].replace("[", "").replace("]", "").strip()
    return JsonResponse({"url": url, "markdown": f"![{alt}]({url})"})
