from django.urls import path

from trechter.agenda.views import funnel, home, proposals, reference, themes

urlpatterns = [
    path("", home.home, name="home"),
    # Themes and their funnels (views/funnel.py)
    path("themes/<slug:key>/", funnel.theme_detail, name="theme"),
    path("funnel/", funnel.funnel_all, name="funnel"),
    path("themes/<slug:key>/edit/", themes.edit, name="theme-edit"),
    path("themes/<slug:key>/discard/", themes.discard, name="theme-discard"),
    path("themes/<slug:key>/history/", themes.history, name="theme-history"),
    # Reference pages of the agenda document (views/reference.py)
    path("overview/", reference.overview, name="overview"),
    path("trl/", reference.trl_annex, name="trl-annex"),
    # Proposals: public page, drafts, history, comments (views/proposals.py)
    path("themes/<slug:key>/propose/", proposals.propose, name="proposal-new"),
    path("proposals/<slug:key>/", proposals.detail, name="proposal"),
    path("proposals/<slug:key>/draft/", proposals.draft, name="proposal-draft"),
    path("proposals/<slug:key>/edit/", proposals.edit, name="proposal-edit"),
    path("proposals/<slug:key>/remove/", proposals.remove, name="proposal-remove"),
    path("proposals/<slug:key>/discard/", proposals.discard, name="proposal-discard"),
    path("proposals/<slug:key>/history/", proposals.history, name="proposal-history"),
    path("proposals/<slug:key>/comments/", proposals.comment, name="proposal-comment"),
]
