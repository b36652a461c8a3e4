"""The search index, kept by the database itself: see articles/search_schema.py and search.py."""

from django.db import migrations, models

from articles.markup import plain_text
from articles.search import indexable_text
from articles.search_schema import create_index, drop_index


def fill_body_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body_html").iterator():
        Article.objects.filter(pk=article.pk).update(
            body_text=indexable_text(plain_text(article.body_html))
        )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='body_text',
            field=models.TextField(default='', editable=False),
        ),
        migrations.RunPython(fill_body_text, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
