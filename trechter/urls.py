from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from trechter.agenda import views as agenda_views

admin.site.site_header = _("Trechter administration")
admin.site.site_title = _("Trechter administration")
admin.site.index_title = _("Agenda data")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", agenda_views.health, name="health"),
]
urlpatterns += i18n_patterns(
    path("", agenda_views.home, name="home"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
