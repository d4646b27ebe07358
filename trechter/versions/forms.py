from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DiffForm(forms.Form):
    """Two published version numbers, from the query string of a shareable diff URL."""

    old = forms.IntegerField(label=_("From version"), min_value=1)
    new = forms.IntegerField(label=_("To version"), min_value=1)


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Release note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
