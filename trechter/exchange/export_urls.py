"""/<lang>/data/: the Data page and the downloads of the published agenda."""

from django.urls import path

from trechter.exchange import export_views

urlpatterns = [
    path("", export_views.index, name="data"),
    path("agenda.json", export_views.agenda_json, name="data-json"),
    path("agenda.schema.json", export_views.agenda_schema, name="data-schema"),
    path("agenda.xlsx", export_views.agenda_xlsx, name="data-xlsx"),
    path("<slug:name>.csv", export_views.sheet_csv, name="data-csv"),
    path("themes/<slug:key>/template.xlsx", export_views.theme_template, name="data-template"),
]
