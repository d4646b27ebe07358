from django.urls import path

from trechter.topics import views

urlpatterns = [
    path("", views.explorer, name="topics"),
    path("<slug:key>/", views.topic, name="topic"),
]
