"""Shared by the transfer tests: the samples, the import command, and hand-made WXR files."""

import datetime
from io import StringIO
from pathlib import Path

from django.core.management import call_command

SAMPLES = Path(__file__).parent / "samples"
WXR_SAMPLE = SAMPLES / "wordpress-export.xml"
RSS_SAMPLE = SAMPLES / "wordpress-feed.rss"
ATOM_SAMPLE = SAMPLES / "wordpress-feed.atom"
# After every sample date except the scheduled post's (2031), so "published" is stable.
FROZEN_NOW = datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC)


def run_import(source, *args) -> str:
    out = StringIO()
    call_command("import_blog", str(source), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def wxr_item(
    *,
    post_id=100,
    title="Hand-made post",
    slug="hand-made-post",
    content="<p>Hello.</p>",
    status="publish",
    date="2023-05-01 10:00:00",
    creator="abualiyu",
    post_type="post",
    extra="",
) -> str:
    return f"""
<item>
  <title><![CDATA[{title}]]></title>
  <link>https://old.example/{slug}/</link>
  <dc:creator><![CDATA[{creator}]]></dc:creator>
  <guid isPermaLink="false">https://old.example/?p={post_id}</guid>
  <content:encoded><![CDATA[{content}]]></content:encoded>
  <excerpt:encoded><![CDATA[]]></excerpt:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date><![CDATA[{date}]]></wp:post_date>
  <wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
  <wp:post_name><![CDATA[{slug}]]></wp:post_name>
  <wp:status><![CDATA[{status}]]></wp:status>
  <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
  {extra}
</item>"""


def wxr(*items: str, generator="https://wordpress.org/?v=6.1.9") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author><wp:author_login><![CDATA[abualiyu]]></wp:author_login>
    <wp:author_display_name><![CDATA[Abu Aliyu]]></wp:author_display_name></wp:author>
  <generator>{generator}</generator>
  {"".join(items)}
</channel>
</rss>"""


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
