from django.urls import path

from trechter.api.main import api

urlpatterns = [path("", api.urls)]
