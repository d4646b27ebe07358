from django.urls import path, re_path

from trechter.reports import views

urlpatterns = [
    path("", views.report_index, name="reports"),
    path("conclusions/", views.conclusions_edit, name="report-conclusions"),
    re_path(r"^(?P<edition>[A-Za-z0-9]+)\.(?P<fmt>html|pdf|docx)$", views.report_file, name="report-file"),
]
