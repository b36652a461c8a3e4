"""The "Moderators" group: exactly what moderating comments needs, nothing on articles or users.

Members also need `is_staff` to log in to the admin. Permissions for this app's models are normally
created after `migrate` finishes (post_migrate), so on a fresh database they do not exist yet when
this runs: `create_permissions` makes them now, from the historical models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"
PERMISSIONS = [
    "view_comment",
    "moderate_comment",
    "view_blocklistentry",
    "add_blocklistentry",
    "change_blocklistentry",
    "delete_blocklistentry",
]


def create_moderators_group(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    # Historical app configs have no models module, which create_permissions takes as "no models".
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="comments", codename__in=PERMISSIONS
    )
    if permissions.count() != len(PERMISSIONS):
        raise RuntimeError("Some comment permissions are missing; cannot create Moderators.")
    group.permissions.set(permissions)


def delete_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name=GROUP_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderators_group, delete_moderators_group)]
