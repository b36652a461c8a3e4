"""The project's URLs plus an `articles:search` route, as the search branch will add it.

The 404 page offers its search box only when that URL name exists; this lets the test show it.
"""

from django.http import HttpResponse
from django.urls import include, path

from articles import urls as article_urls
from newsroom import urls as project_urls

article_routes = [
    path("search/", lambda request: HttpResponse("results"), name="search"),
    *article_urls.urlpatterns,
]
urlpatterns = [
    *(route for route in project_urls.urlpatterns if getattr(route, "namespace", "") != "articles"),
    path("", include((article_routes, "articles"))),
]
