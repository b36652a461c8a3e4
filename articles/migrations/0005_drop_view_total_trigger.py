"""Drop the view-total trigger that earlier versions installed after every `migrate`.

`articles.counters.add_views` now raises `Article.view_count` itself, in the same transaction as
the day row; a trigger left behind would count every view twice and re-add day rows on `loaddata`.
"""

from django.db import migrations

TRIGGERS = ("articles_daily_views_insert_total", "articles_daily_views_update_total")


def drop_view_total_trigger(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for trigger in TRIGGERS:
        on_table = " ON articles_dailyarticleviews" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}{on_table}")
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_daily_views_add_to_total()")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_rerender_body_headings")]

    operations = [migrations.RunPython(drop_view_total_trigger, migrations.RunPython.noop)]
