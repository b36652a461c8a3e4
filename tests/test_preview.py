"""Article preview and the editor's live preview and image upload (articles/desk.py)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles import tracking
from articles.models import Article

from .factories import image_file, make_article, make_staff, make_user

pytestmark = pytest.mark.django_db

RENDER = reverse("articles:render-preview")
UPLOAD = reverse("articles:upload-image")


def preview_url(article):
    return reverse("articles:preview", kwargs={"pk": article.pk})


@pytest.fixture
def draft():
    return make_article(
        title="Unfinished thoughts", status="draft", author=make_staff("author", "annie")
    )


def test_author_sees_their_draft_with_banner_and_private_headers(client, draft):
    client.force_login(draft.author)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not published" in page and "Unfinished thoughts" in page
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_editor_may_preview_any_article(client, draft):
    client.force_login(make_staff("editor"))
    assert client.get(preview_url(draft)).status_code == 200


def test_other_authors_and_readers_cannot_preview(client, draft):
    client.force_login(make_staff("author", "bob"))
    assert client.get(preview_url(draft)).status_code == 404
    client.force_login(make_user("reader"))
    assert client.get(preview_url(draft)).status_code == 302  # not staff: the login page


def test_anonymous_visitor_is_sent_to_the_login_page(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_never_goes_through_view_tracking(client, monkeypatch):
    """Staff are never counted anyway; the preview must not even ask, whoever opens it."""
    asked = []
    real_track_view = tracking.track_view

    def spy(**kwargs):
        asked.append(kwargs["article"].pk)
        return real_track_view(**kwargs)

    monkeypatch.setattr(tracking, "track_view", spy)
    article = make_article(author=make_staff("author"))
    client.force_login(make_staff("editor"))
    client.get(preview_url(article))
    assert asked == []
    client.get(article.get_absolute_url())  # the reader page does ask: the spy works
    assert asked == [article.pk]
    article.refresh_from_db()
    assert article.view_count == 0


def test_preview_of_unknown_article_is_404(client):
    client.force_login(make_staff("editor"))
    assert client.get(reverse("articles:preview", kwargs={"pk": 999999})).status_code == 404


def test_save_and_preview_goes_to_the_preview(client):
    author = make_staff("author")
    client.force_login(author)
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Saved then previewed",
            "slug": "saved-then-previewed",
            "body": "Text.",
            "status": "draft",
            "comments_open": "on",
            "_preview": "Save and preview",
        },
    )
    article = Article.objects.get(slug="saved-then-previewed")
    assert response.status_code == 302
    assert response["Location"] == preview_url(article)
    change_page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert preview_url(article) in change_page.content.decode()


def test_live_preview_renders_and_sanitizes_through_the_reader_pipeline(client):
    client.force_login(make_staff("author"))
    body = (
        "## Heading\n\nSome *text* here.<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>"
    )
    response = client.post(RENDER, {"body": body})
    assert response.status_code == 200
    result = response.json()
    # Body headings sit one level below the page title (articles.markup).
    assert "<h3>Heading</h3>" in result["html"] and "<em>text</em>" in result["html"]
    assert "<script" not in result["html"] and "onerror" not in result["html"]
    assert result["words"] == 4 and result["minutes"] == 1
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_live_preview_is_staff_only_and_post_only(client):
    assert client.post(RENDER, {"body": "x"}).status_code == 302
    client.force_login(make_user("reader"))
    assert client.post(RENDER, {"body": "x"}).status_code == 302
    client.force_login(make_staff("moderator"))
    assert client.post(RENDER, {"body": "x"}).status_code == 403
    client.force_login(make_staff("author"))
    assert client.get(RENDER).status_code == 405


def test_live_preview_requires_csrf():
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_staff("author"))
    assert csrf_client.post(RENDER, {"body": "x"}).status_code == 403
    csrf_client.get(reverse("admin:articles_article_add"))
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(RENDER, {"body": "x"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_live_preview_answers_400_for_a_body_too_long(client):
    client.force_login(make_staff("author"))
    response = client.post(RENDER, {"body": "word " * 120_000})
    assert response.status_code == 400
    assert "at most" in response.json()["error"]


@pytest.mark.parametrize("body", ["- " * 1000 + "x", "[" * 8000 + "]" * 8000, ">" * 100 + " deep"])
def test_live_preview_answers_400_when_the_renderer_refuses(client, body):
    """Bodies past the renderer's nesting bounds (articles.markup) get its message, never a 500."""
    client.force_login(make_staff("author"))
    response = client.post(RENDER, {"body": body})
    assert response.status_code == 400
    assert response.json()["error"]


def test_insert_image_stores_a_clean_copy_and_answers_markdown(client, settings):
    client.force_login(make_staff("author"))
    response = client.post(
        UPLOAD, {"image": image_file("chart.png", image_format="PNG"), "alt": "A chart"}
    )
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["markdown"] == f"![A chart]({result['url']})"
    assert result["url"].startswith(settings.MEDIA_URL) or result["url"].startswith("/media/")
    stored = settings.MEDIA_ROOT / result["url"].split("/media/", 1)[1]
    assert stored.exists()


def test_insert_image_refuses_a_renamed_text_file_with_a_message(client):
    client.force_login(make_staff("author"))
    fake = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", "image/jpeg")
    response = client.post(UPLOAD, {"image": fake})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_insert_image_needs_staff_who_write(client):
    assert client.post(UPLOAD, {"image": image_file()}).status_code == 302
    client.force_login(make_staff("moderator"))
    assert client.post(UPLOAD, {"image": image_file()}).status_code == 403
