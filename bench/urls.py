from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as product_urlpatterns


def trivial(request):
    """The baseline: through every middleware and the server, touching no database or cache."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *product_urlpatterns]
