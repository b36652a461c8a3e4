from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin with the project's site (`newsroom.admin_site`) as `admin.site`."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
