from django.urls import path

from trechter.accounts import views

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/revoke/", views.revoke, name="token-revoke"),
]
