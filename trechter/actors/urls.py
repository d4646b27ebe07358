from django.urls import path

from trechter.actors import views

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:key>/", views.organisation_detail, name="organisation"),
    path("groups/<slug:key>/", views.group_detail, name="group"),
    path("meetings/", views.meeting_list, name="meetings"),
]
