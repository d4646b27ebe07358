from django.urls import path

from trechter.partners import views

urlpatterns = [
    path("", views.find, name="partners"),
    path("consortium/", views.build_consortium, name="consortium"),
]
