from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from trechter.agenda.views import home as home_views

admin.site.site_header = _("Trechter administration")
admin.site.site_title = _("Trechter administration")
admin.site.index_title = _("Agenda data")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", home_views.health, name="health"),
    path("api/", include("trechter.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("trechter.agenda.urls")),
    path("", include("trechter.actors.urls")),
    path("", include("trechter.assessment.urls")),
    path("search/", include("trechter.search.urls")),
    path("versions/", include("trechter.versions.urls")),
    path("report/", include("trechter.reports.urls")),
    path("data/", include("trechter.exchange.urls")),
    path("evidence/", include("trechter.evidence.urls")),
    path("partners/", include("trechter.partners.urls")),
    path("topics/", include("trechter.topics.urls")),
    path("instruments/", include("trechter.funding.urls")),
    path("fof/", include("trechter.fof.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", include("trechter.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
