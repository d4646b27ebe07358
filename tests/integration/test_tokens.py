"""API tokens: stored hashed, refused when revoked, expired or of an inactive user; the
`trechter token` command; the tokens page, where users only ever see their own tokens."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError
from django.test import Client
from django.utils import timezone

from tests.factories import make_user
from trechter.accounts import actions
from trechter.accounts.models import ApiToken
from trechter.versions.models import Draft

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"
WRITE = f"/api/proposals/{KEY}"


def patch(client: Client, plaintext: str) -> int:
    response = client.patch(
        WRITE, '{"title_en": "x"}', content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {plaintext}"
    )
    return response.status_code


def test_only_the_hash_is_stored() -> None:
    user = make_user("lea", "theme_lead", "energy")

    token, plaintext = actions.issue_token(user, "script")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert plaintext.startswith("trt_") and len(plaintext) >= 40
    assert stored["hashed"] == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in " ".join(str(value) for value in stored.values())
    assert stored["prefix"] == plaintext[4:12]


def test_a_token_works_and_records_its_use(client: Client) -> None:
    token, plaintext = actions.issue_token(make_user("lea", "theme_lead", "energy"), "script")

    assert patch(client, plaintext) == 200

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert Draft.objects.get(proposal_key=KEY).updated_by.username == "lea"


def test_revoked_expired_and_inactive_users_tokens_are_401(client: Client) -> None:
    lea = make_user("lea", "theme_lead", "energy")
    revoked, revoked_text = actions.issue_token(lea, "revoked")
    actions.revoke_token(revoked)
    expired, expired_text = actions.issue_token(lea, "expired", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    ina = make_user("ina", "theme_lead", "energy")
    _token, inactive_text = actions.issue_token(ina, "inactive")
    ina.is_active = False
    ina.save()

    codes = [patch(client, text) for text in (revoked_text, expired_text, inactive_text, "trt_made-up", "")]

    assert codes == [401, 401, 401, 401, 401]
    assert client.get("/api/themes", HTTP_AUTHORIZATION=f"Bearer {revoked_text}").status_code == 401
    assert client.get("/api/themes", HTTP_AUTHORIZATION="Basic bGVhOnB3").status_code == 401
    assert not Draft.objects.exists()


def test_a_token_of_days_expires_then() -> None:
    token, _ = actions.issue_token(make_user("lea"), "week", days=7)
    assert token.expires_at is not None
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [("", None, "name:"), ("x" * 101, None, "name:"), ("ok", 0, "days:"), ("ok", 4000, "days:")],
)
def test_bad_token_requests_are_refused(name: str, days: int | None, message: str) -> None:
    with pytest.raises(actions.TokenError, match=message):
        actions.issue_token(make_user("lea"), name, days)
    assert not ApiToken.objects.exists()


def test_cli_creates_lists_and_revokes(call, capsys, client: Client) -> None:  # type: ignore[no-untyped-def]
    make_user("lea", "theme_lead", "energy")

    plaintext = call("token", "create", "lea", "--name", "ci", "--days", "30").strip()
    listed = call("token", "list", "lea")
    token = ApiToken.objects.get()
    assert patch(client, plaintext) == 200
    revoked = call("token", "revoke", f"trt_{token.prefix}")

    assert re.fullmatch(r"trt_[A-Za-z0-9_-]{43}", plaintext)
    assert f"trt_{token.prefix}…\tlea\tci\tactive" in listed
    assert plaintext not in listed
    assert revoked.startswith(f"revoked: trt_{token.prefix}")
    assert patch(client, plaintext) == 401
    assert "revoked" in call("token", "list")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "ghost"), "username: no user 'ghost'"),
        (("create",), "give the username"),
        (("create", "lea", "--days", "0"), "days:"),
        (("revoke", "abc"), "prefix: give the 8 characters"),
        (("revoke", "abcdefgh"), "prefix: no token 'abcdefgh'"),
        (("revoke",), "give the prefix"),
    ],
)
def test_cli_refuses_bad_input(call, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    make_user("lea")
    with pytest.raises(CommandError, match=message):
        call("token", *args)
    assert not ApiToken.objects.filter(is_revoked=True).exists()


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf(client: Client) -> str:
    html = client.get("/en/accounts/tokens/").content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_page_creates_a_token_and_shows_it_once(client: Client) -> None:
    lea = make_user("lea", "theme_lead", "energy")
    browser = _signed_in(lea)

    created = browser.post(
        "/en/accounts/tokens/", {"name": "laptop", "days": "", "csrfmiddlewaretoken": _csrf(browser)}
    )
    later = browser.get("/en/accounts/tokens/")

    plaintext = re.search(r'value="(trt_[^"]+)"', created.content.decode())
    assert created.status_code == 200 and plaintext
    assert "no-cache" in created["Cache-Control"] or "max-age=0" in created["Cache-Control"]
    assert patch(client, plaintext.group(1)) == 200
    assert plaintext.group(1) not in later.content.decode()
    assert "laptop" in later.content.decode()


def test_page_refuses_a_post_without_csrf_token() -> None:
    browser = _signed_in(make_user("lea"))
    assert browser.post("/en/accounts/tokens/", {"name": "laptop"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get("/nl/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_users_see_and_revoke_only_their_own_tokens() -> None:
    lea, bob = make_user("lea"), make_user("bob")
    leas, _ = actions.issue_token(lea, "lea's script")
    bobs, _ = actions.issue_token(bob, "bob's script")
    browser = _signed_in(lea)

    page = browser.get("/nl/accounts/tokens/").content.decode()
    refused = browser.post(f"/nl/accounts/tokens/{bobs.pk}/revoke/", {"csrfmiddlewaretoken": _csrf(browser)})
    revoked = browser.post(f"/nl/accounts/tokens/{leas.pk}/revoke/", {"csrfmiddlewaretoken": _csrf(browser)})

    assert leas.prefix in page and "lea&#x27;s script" in page
    assert bobs.prefix not in page and "bob" not in page
    assert refused.status_code == 404
    assert revoked.status_code == 302
    assert list(ApiToken.objects.filter(is_revoked=True).values_list("user__username", flat=True)) == ["lea"]


def test_page_refuses_a_bad_name_and_stores_nothing() -> None:
    browser = _signed_in(make_user("lea"))
    response = browser.post("/en/accounts/tokens/", {"name": "", "days": "-3", "csrfmiddlewaretoken": _csrf(browser)})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_lists_tokens_without_the_hash() -> None:
    admin = make_user("root", is_superuser=True, is_staff=True)
    token, _ = actions.issue_token(admin, "admin script")
    browser = _signed_in(admin)

    listing = browser.get("/nl/admin/accounts/apitoken/").content.decode()
    change = browser.get(f"/nl/admin/accounts/apitoken/{token.pk}/change/").content.decode()

    assert token.prefix in listing
    assert token.hashed not in listing and token.hashed not in change
    assert browser.get("/nl/admin/accounts/apitoken/add/").status_code == 403
