"""The admin import page: superusers upload a file and read the same report as the command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article

from .factories import make_user
from .transfer_helpers import WXR_SAMPLE

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:transfer_import")


def upload(name="export.xml", data=None):
    return SimpleUploadedFile(name, WXR_SAMPLE.read_bytes() if data is None else data)


def test_superuser_imports_an_export_and_sees_the_report(admin_client):
    response = admin_client.post(IMPORT_URL, {"source": upload()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import report" in page
    assert (
        "Import done: 5 article(s), 6 comment(s), 2 author(s), 5 tag(s) and 8 redirect(s)" in page
    )
    assert "skipped About: a WordPress page, not a post" in page
    assert "redirect /?p=5 → /articles/seoul-and-tokyo-resume-shuttle-diplomacy/" in page
    assert Article.objects.count() == 5


def test_dry_run_from_the_admin_writes_nothing(admin_client):
    response = admin_client.post(IMPORT_URL, {"source": upload(), "dry_run": "on"})
    assert "Dry run report (nothing was written)" in response.content.decode()
    assert not Article.objects.exists()


def test_hostile_upload_gets_a_clear_message_not_a_500(admin_client):
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss>&e;</rss>'
    )
    response = admin_client.post(IMPORT_URL, {"source": upload(data=data)})
    assert response.status_code == 200
    assert "Refused: the file declares XML entities" in response.content.decode()


def test_form_without_a_file_says_so(admin_client):
    response = admin_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_staff_who_are_not_superusers_are_refused(client):
    staff = make_user("editor", is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"source": upload()}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_import_page_is_linked_from_the_imported_articles_list(admin_client):
    page = admin_client.get(reverse("admin:transfer_importedarticle_changelist")).content.decode()
    assert IMPORT_URL in page
