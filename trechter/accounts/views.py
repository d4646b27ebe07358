"""The API tokens page: a signed-in user lists, creates and revokes their own tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trechter.accounts import actions
from trechter.accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, help_text=gettext_lazy("What the token is for."))
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=actions.MAX_TOKEN_DAYS,
        required=False,
        help_text=gettext_lazy("Leave empty for a token that is valid until you revoke it."),
    )


@never_cache  # the response that shows a new token must not be kept by any cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a POST creates one and shows its plaintext on this response only."""
    user: Any = request.user  # signed in (login_required)
    form = TokenForm(request.POST or None)
    plaintext = None
    if request.method == "POST" and form.is_valid():
        _token, plaintext = actions.issue_token(user, form.cleaned_data["name"], form.cleaned_data["days"])
        form = TokenForm()
    context = {
        "form": form,
        "plaintext": plaintext,
        "tokens": ApiToken.objects.filter(user=user),
        "marker": actions.TOKEN_MARKER,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only among the user's own tokens: another user's token is "not found", not "forbidden".
    user: Any = request.user
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    actions.revoke_token(token)
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": actions.TOKEN_MARKER + token.prefix})
    return redirect("tokens")
