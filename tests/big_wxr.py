"""A large, realistic WordPress export for memory checks, written as a stream.

    python tests/big_wxr.py OUT.xml [MEGABYTES]     # default 100

Used by tests/test_transfer_memory.py and to measure `import_blog` with /usr/bin/time -v.
"""

import sys
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Big blog</title>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[writer]]></wp:author_login>
<wp:author_display_name><![CDATA[Prolific Writer]]></wp:author_display_name></wp:author>
<generator>https://wordpress.org/?v=6.1.9</generator>
"""
PARAGRAPH = (
    "<!-- wp:paragraph -->\n<p>Paragraph {n} of post {post}: the delegations met for a long "
    "afternoon of talks about <strong>trade</strong>, fisheries and the <em>armistice</em>, "
    'and agreed to <a href="https://example.org/{post}/{n}">meet again</a> next season.</p>\n'
    "<!-- /wp:paragraph -->\n"
)
COMMENT = """<wp:comment><wp:comment_id>{id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {id}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[reader{id}@example.invalid]]></wp:comment_author_email>
<wp:comment_author_IP><![CDATA[203.0.113.9]]></wp:comment_author_IP>
<wp:comment_date_gmt><![CDATA[2023-08-02 18:00:00]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[Comment {id} on this post.]]></wp:comment_content>
<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
<wp:comment_type><![CDATA[comment]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


def item(post: int, paragraphs: int) -> str:
    body = "".join(PARAGRAPH.format(n=n, post=post) for n in range(paragraphs))
    comments = COMMENT.format(id=post * 10, parent=0) + COMMENT.format(
        id=post * 10 + 1, parent=post * 10
    )
    return f"""<item>
<title><![CDATA[Post number {post}]]></title>
<link>https://old.example/2023/08/02/post-number-{post}/</link>
<dc:creator><![CDATA[writer]]></dc:creator>
<guid isPermaLink="false">https://old.example/?p={post}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post}</wp:post_id>
<wp:post_date_gmt><![CDATA[2023-08-02 09:15:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[post-number-{post}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="topic-{post % 20}"><![CDATA[Topic {post % 20}]]></category>
<category domain="post_tag" nicename="tag-{post % 50}"><![CDATA[Tag {post % 50}]]></category>
{comments}</item>
"""


def write_big_wxr(path: Path, megabytes: int = 100, paragraphs: int = 60) -> int:
    """Write posts until the file reaches `megabytes`; returns how many posts it holds."""
    target, posts = megabytes * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        while out.tell() < target:
            posts += 1
            out.write(item(posts, paragraphs))
        out.write("</channel>\n</rss>\n")
    return posts


if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    print(write_big_wxr(Path(sys.argv[1]), size), "posts")
