from django.urls import path

from trechter.versions import views

urlpatterns = [
    path("", views.version_list, name="versions"),
    path("diff/", views.version_diff, name="version-diff"),
    path("mine/", views.my_drafts, name="my-drafts"),
    path("<int:number>/", views.version_detail, name="version"),
    path("<int:number>/submit/", views.submit, name="version-submit"),
    path("<int:number>/reopen/", views.reopen, name="version-reopen"),
    path("<int:number>/publish/", views.publish, name="version-publish"),
]
