from django.urls import path

from trechter.funding import views

urlpatterns = [
    path("", views.instrument_list, name="instruments"),
    path("<slug:key>/", views.instrument_detail, name="instrument"),
    path("<slug:key>/rules/", views.instrument_rules, name="instrument-rules"),
]
