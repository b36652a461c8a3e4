"""The "Authors" and "Editors" groups (see articles/roles.py for what each may do).

Like the comments app's Moderators migration: permissions are normally created after `migrate`
finishes, so `create_permissions` makes this app's now, from the historical models. The lists are
written out here rather than imported, so that this migration keeps meaning what it meant.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "delete_article",
    "view_article",
    "view_tag",
    "view_authorprofile",
    "change_authorprofile",
]
GROUPS = {
    "Authors": AUTHOR_PERMISSIONS,
    "Editors": [*AUTHOR_PERMISSIONS, "edit_any_article", "add_tag", "change_tag"],
}


def create_role_groups(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("articles")
    # Historical app configs have no models module, which create_permissions takes as "no models".
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=db)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        permissions = Permission.objects.using(db).filter(
            content_type__app_label="articles", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Some article permissions are missing; cannot create {name}.")
        group.permissions.set(permissions)


def delete_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name__in=GROUPS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_authoring_fields"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
