from django.urls import path

from trechter.evidence import views

urlpatterns = [
    path("", views.overview, name="evidence"),
    path("themes/<slug:key>/", views.theme, name="evidence-theme"),
    path("organisations/<str:org_id>/", views.organisation, name="evidence-organisation"),
    path("pairs.csv", views.pairs_csv, name="evidence-pairs-csv"),
    path("links/", views.links, name="evidence-links"),
    path("links/<int:pk>/", views.decide_link, name="evidence-link-decide"),
]
