"""Who is calling the API: a Bearer token (reads and writes) or, for reads only, the browser's
session. Writes never accept the session: API views are exempt from CSRF, so a cookie must
not be enough to change anything."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from trechter.accounts.models import ApiToken, hash_token

# Recording every use would make each read a write; a minute is precise enough to see use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


def user_for_token(plaintext: str) -> Any | None:
    """The active user a usable token belongs to, or None; notes when the token was used."""
    if not plaintext or len(plaintext) > MAX_TOKEN_LENGTH:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(hashed=hash_token(plaintext)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a missing, unknown, revoked or expired token is 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token.strip())
        if user is None:
            raise AuthenticationError(message="Invalid, revoked or expired token.")
        request.user = user  # so history records and permission checks see the token's user
        return user


def session_or_anonymous(request: HttpRequest) -> Any:
    """For reads, after TokenAuth found no Bearer token: the session's user, else an
    anonymous visitor. An Authorization header of another kind is refused, not ignored."""
    if request.headers.get("Authorization"):
        raise AuthenticationError(message="Send the token as 'Authorization: Bearer <token>'.")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else AnonymousUser()


token_auth = TokenAuth()
# Reads: a token when one is sent (a bad one is still 401), else the session, else anonymous.
READ_AUTH = [token_auth, session_or_anonymous]
