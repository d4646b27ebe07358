"""`trechter role` grants, lists and revokes roles, and refuses bad input by field."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from tests.factories import make_user
from trechter.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_grant_list_and_revoke_a_theme_lead(call) -> None:  # type: ignore[no-untyped-def]
    make_user("lea")

    granted = call("role", "grant", "lea", "theme_lead", "--theme", "energy")
    listed = call("role", "list", "lea")
    revoked = call("role", "revoke", "lea", "theme_lead", "--theme", "energy")

    assert granted.startswith("granted: lea:")
    assert "lea:" in listed and "(Energie-innovatie)" in listed
    assert revoked == "revoked: 1\n"
    assert not Role.objects.filter(user__username="lea").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grant", "ghost", "member"), "username: no user 'ghost'"),
        (("grant", "lea", "wizard"), "role: unknown role 'wizard'"),
        (("grant", "lea", "theme_lead"), "theme: a theme lead needs --theme"),
        (("grant", "lea", "theme_lead", "--theme", "nope"), "theme: no theme 'nope'"),
        (("grant", "lea", "member", "--theme", "energy"), "theme: only a theme lead's role names a theme"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(call, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    make_user("lea")
    with pytest.raises(CommandError, match=message):
        call("role", *args)
    assert not Role.objects.exists()


def test_granting_twice_keeps_one_role(call) -> None:  # type: ignore[no-untyped-def]
    make_user("cora")
    call("role", "grant", "cora", "core_group")
    call("role", "grant", "cora", "core_group")
    assert Role.objects.filter(user__username="cora", kind="core_group").count() == 1
