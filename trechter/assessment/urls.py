from django.urls import path

from trechter.assessment import views

urlpatterns = [
    path("criteria/", views.criteria_list, name="criteria"),
]
