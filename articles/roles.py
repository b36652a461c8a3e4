"""Who may do what with articles: the Authors and Editors groups, and the rules the admin applies.

- **Authors** add articles and see, change and delete only their own; the author of what they write
  is always themselves. Whether they may publish is `AUTHORS_CAN_PUBLISH`: when it is false their
  choices are "Draft" and "Waiting for review", and an Editor publishes.
- **Editors** see and change every article, may set its author and always publish. They create
  tags; Authors pick from the existing ones (a site's tag list is editorial). Being an Editor
  is the `articles.edit_any_article` permission (superusers have every permission), so a site may
  grant it to anyone without the group.
- **Moderators** (created by the comments app) have no article rights at all.

The groups are created by migration `0007_roles`; `manage.py add_staff` puts people in them.
Permissions are checked on the server by `ArticleAdmin`, never only hidden in templates.
"""

from django.conf import settings

AUTHORS = "Authors"
EDITORS = "Editors"
# Created by the comments app's migration; named here only so that `add_staff` can invite them.
MODERATORS = "Moderators"

ROLE_GROUPS = {"author": AUTHORS, "editor": EDITORS, "moderator": MODERATORS}

EDIT_ANY_ARTICLE = "articles.edit_any_article"


def can_edit_any_article(user) -> bool:
    return user.is_active and user.has_perm(EDIT_ANY_ARTICLE)


def can_edit_article(user, article) -> bool:
    """The object-level rule: Editors any article, everyone else their own."""
    return can_edit_any_article(user) or (article.author_id == user.pk)


def can_publish(user) -> bool:
    return can_edit_any_article(user) or settings.AUTHORS_CAN_PUBLISH


def is_staff_writer(user) -> bool:
    """Staff who write: they get an author profile, a dashboard and the editor."""
    return user.is_active and user.is_staff and user.has_perm("articles.add_article")
