"""/<lang>/data/…: exports (export_urls.py) and imports (import_urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("trechter.exchange.export_urls")),
    path("import/", include("trechter.exchange.import_urls")),
]
