"""/<lang>/data/import/: upload a file, preview what it would change, confirm into drafts."""

from django.urls import path

from trechter.exchange import import_views

urlpatterns = [
    path("", import_views.upload, name="data-import"),
    path("<slug:ticket>/confirm/", import_views.confirm, name="data-import-confirm"),
]
