from django.urls import path, re_path

from trechter.fof import views

urlpatterns = [
    path("", views.index, name="fof"),
    path("new/", views.create_round, name="fof-new"),
    path("affiliate/", views.affiliate, name="fof-affiliate"),
    path("<slug:key>/", views.round_detail, name="fof-round"),
    path("<slug:key>/apply/", views.apply, name="fof-apply"),
    path("<slug:key>/manage/<slug:what>/", views.manage_round, name="fof-manage"),
    path("<slug:key>/<slug:organisation>/", views.application_detail, name="fof-application"),
    path("<slug:key>/<slug:organisation>/score/", views.score, name="fof-score"),
    re_path(
        r"^(?P<key>[-\w]+)/(?P<organisation>[-\w]+)/report\.(?P<fmt>html|pdf|docx)$",
        views.report_file,
        name="fof-report",
    ),
]
