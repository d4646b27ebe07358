from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from trechter.agenda import views as agenda_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", agenda_views.health, name="health"),
]
urlpatterns += i18n_patterns(
    path("", agenda_views.home, name="home"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
