"""Re-render stored article HTML so body headings start at <h2> (see articles/markup.py).

Uses the current renderer on purpose: this migration's job is to bring stored HTML up to the rule
that `Article.save()` applies from now on. Only `body_html` changes; counters are left alone.
"""

from django.db import migrations

from articles.markup import MarkupError, render_markdown


def rerender(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body", "body_html").iterator(chunk_size=200):
        try:
            rendered = render_markdown(article.body)
        except MarkupError:
            continue  # over today's limits: keeps its old HTML until an editor fixes the body
        if rendered != article.body_html:
            Article.objects.filter(pk=article.pk).update(body_html=rendered)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_author_profile_and_cover")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
