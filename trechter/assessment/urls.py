from django.urls import path, re_path

from trechter.assessment import rounds, views

urlpatterns = [
    path("criteria/", views.criteria_list, name="criteria"),
    path("assessment/", rounds.round_list, name="rounds"),
    path("assessment/add-topic/", rounds.add_topic, name="round-add-topic"),
    path("assessment/<slug:key>/", rounds.round_detail, name="round"),
    path("assessment/<slug:key>/manage/<slug:what>/", rounds.manage_round, name="round-manage"),
    re_path(r"^assessment/(?P<key>[-\w]+)/(?P<what>results|scores)\.csv$", rounds.round_csv, name="round-csv"),
    path("assessment/<slug:key>/score/<slug:candidate>/", rounds.score, name="round-score"),
]
