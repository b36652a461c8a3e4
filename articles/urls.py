from django.urls import path, register_converter

from . import converters, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitMonthConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<yyyy:year>/<mm:month>/", views.ArchiveMonthView.as_view(), name="archive-month"),
    path("authors/<slug:slug>/", views.AuthorArticlesView.as_view(), name="author"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
