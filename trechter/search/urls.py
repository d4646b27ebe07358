from django.urls import path

from trechter.search import views

urlpatterns = [
    path("", views.search, name="search"),
]
