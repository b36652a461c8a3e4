from django.urls import path, register_converter

from . import converters, desk, feeds, sitemaps, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitMonthConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed/", feeds.conditional(feeds.ArticlesFeed()), name="feed"),
    path("feed/atom/", feeds.conditional(feeds.AtomArticlesFeed()), name="feed-atom"),
    path("tags/<slug:slug>/", views.TagArticlesView.as_view(), name="tag"),
    path(
        "tags/<slug:slug>/feed/", feeds.conditional(feeds.TagArticlesFeed(), "tag"), name="tag-feed"
    ),
    path(
        "tags/<slug:slug>/feed/atom/",
        feeds.conditional(feeds.AtomTagArticlesFeed(), "tag"),
        name="tag-feed-atom",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path("archive/<yyyy:year>/<mm:month>/", views.ArchiveMonthView.as_view(), name="archive-month"),
    path("authors/<slug:slug>/", views.AuthorArticlesView.as_view(), name="author"),
    path(
        "authors/<slug:slug>/feed/",
        feeds.conditional(feeds.AuthorArticlesFeed(), "author"),
        name="author-feed",
    ),
    path(
        "authors/<slug:slug>/feed/atom/",
        feeds.conditional(feeds.AtomAuthorArticlesFeed(), "author"),
        name="author-feed-atom",
    ),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("preview/<int:pk>/", desk.article_preview, name="preview"),
    path("desk/render/", desk.render_preview, name="render-preview"),
    path("desk/images/", desk.upload_image, name="upload-image"),
]
