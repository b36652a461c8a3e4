from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/", views.post_comment, name="post"),
    path("<int:pk>/edit/", views.edit_comment, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw_comment, name="withdraw"),
    path("<int:pk>/", views.comment_in_context, name="in-context"),
]
