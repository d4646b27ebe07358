"""Drafts, review, publication, history and concurrency: the actions and the pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD, make_user
from trechter.agenda.models import Agenda, Proposal
from trechter.versions import actions, queries
from trechter.versions.models import Draft, Version
from trechter.versions.snapshot import proposal_values

pytestmark = pytest.mark.django_db

KEY = "energy-pv-cooperation"  # an Energy cooperation proposal, TRL 1–7
LONE = "energy-carbon-chain-system-study"  # an Energy project proposal without sub-proposals


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _form(proposal: Proposal, token: str = "new", **changes: object) -> dict[str, object]:
    values = {**proposal_values(proposal), **changes}
    data: dict[str, object] = {k: ("" if v is None else v) for k, v in values.items() if k != "value_chain"}
    data["value_chain"] = values["value_chain"]
    data["token"] = token
    return data


def _publish_open(by) -> Version:  # type: ignore[no-untyped-def]
    version = Version.objects.open().get()
    actions.submit_version(version=version, by=by)
    actions.publish_version(version=version, by=by)
    version.refresh_from_db()
    return version


def test_seed_load_publishes_version_one_with_the_whole_agenda() -> None:
    version = Version.objects.get()
    assert (version.number, version.status) == (1, "published")
    assert len(version.snapshot["proposals"]) == Proposal.objects.count() == 89
    assert version.snapshot["proposals"][KEY]["trl_from"] == 1


def test_theme_lead_edit_goes_to_draft_and_public_keeps_published_text(client: Client) -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)
    old_title = proposal.title_nl

    response = _client(lead).post(f"/nl/proposals/{KEY}/edit/", _form(proposal, title_nl="PV-samenwerking 2.0"))

    assert response.status_code == 302
    assert response["Location"] == f"/nl/proposals/{KEY}/draft/"
    assert Proposal.objects.get(key=KEY).title_nl == old_title
    public = client.get(f"/nl/proposals/{KEY}/").content.decode()
    assert old_title in public and "PV-samenwerking 2.0" not in public
    draft_page = _client(lead).get(f"/nl/proposals/{KEY}/draft/").content.decode()
    assert "PV-samenwerking 2.0" in draft_page and old_title in draft_page


def test_second_save_from_the_same_start_is_refused_and_shows_the_other_change() -> None:
    ann, bob = make_user("ann", "theme_lead", "energy"), make_user("bob", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    # Both open the edit form before either saves: both start from the published text.
    first = _client(ann).post(f"/nl/proposals/{KEY}/edit/", _form(proposal, title_nl="Titel van Ann"))
    second = _client(bob).post(f"/nl/proposals/{KEY}/edit/", _form(proposal, title_nl="Titel van Bob"))

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "ann" in html and "Titel van Ann" in html  # their change is shown
    assert 'value="Titel van Bob"' in html  # and my text is still in the form
    draft = Draft.objects.get(proposal_key=KEY)
    assert (draft.data["title_nl"], draft.revision, draft.updated_by) == ("Titel van Ann", 1, ann)
    # Saving again from the form as shown (it now carries the current revision) replaces it.
    again = _client(bob).post(f"/nl/proposals/{KEY}/edit/", _form(proposal, draft.token, title_nl="Titel van Bob"))
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.data["title_nl"], draft.revision) == ("Titel van Bob", 2)


def test_concurrent_edit_action_raises_without_writing() -> None:
    ann = make_user("ann", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)
    data = proposal_values(proposal) | {"title_nl": "A"}
    draft = actions.save_change(proposal=proposal, data=data, token=actions.NEW_TOKEN, by=ann)
    stale = draft.token
    actions.save_change(proposal=proposal, data=data | {"title_nl": "B"}, token=stale, by=ann)

    with pytest.raises(actions.ConcurrentEdit) as refused:
        actions.save_change(proposal=proposal, data=data | {"title_nl": "C"}, token=stale, by=ann)

    assert refused.value.theirs["title_nl"] == "B"
    assert Draft.objects.get(proposal_key=KEY).data["title_nl"] == "B"


def test_core_group_publishes_and_the_version_diff_shows_the_change(client: Client) -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    actions.save_change(proposal=proposal, data=proposal_values(proposal) | {"trl_to": 8}, token="new", by=lead)
    lone = Proposal.objects.get(key=LONE)
    actions.save_removal(proposal=lone, token="new", by=lead)
    core_client = _client(core)

    assert core_client.post("/nl/versions/2/submit/").status_code == 302
    assert core_client.post("/nl/versions/2/publish/", {"note": "Zomer-update"}).status_code == 302

    version = Version.objects.get(number=2)
    assert (version.status, version.published_by, version.note) == ("published", core, "Zomer-update")
    assert Proposal.objects.get(key=KEY).trl_to == 8
    assert not Proposal.objects.filter(key=LONE).exists()
    diff = queries.version_diff(Version.objects.get(number=1), version)
    assert diff.proposals.removed == (LONE,)
    assert [(r.key, [(f.field, f.old, f.new) for f in r.fields]) for r in diff.proposals.changed] == [
        (KEY, [("trl_to", 7, 8)])
    ]
    page = client.get("/en/versions/diff/?old=1&new=2").content.decode()
    assert "TRL to" in page and "1 proposal removed" in page and "1 proposal changed" in page


def test_member_proposal_is_invisible_until_published(client: Client) -> None:
    member, core = make_user("max", "member"), make_user("cora", "core_group")
    member_client = _client(member)
    blank = Proposal(kind="project", status="idea", value_chain=[])
    data = _form(blank, title_nl="Grensoverschrijdende batterijtest", trl_from=4, trl_to=6)

    response = member_client.post("/nl/themes/energy/propose/", data)

    assert response.status_code == 302
    key = Draft.objects.get(operation="add").proposal_key
    assert key == "grensoverschrijdende-batterijtest"
    assert client.get(f"/nl/proposals/{key}/").status_code == 404
    assert member_client.get(f"/nl/proposals/{key}/").status_code == 302  # to the draft
    _publish_open(core)
    assert Proposal.objects.get(key=key).trl_label == "TRL 4–6"
    assert client.get(f"/nl/proposals/{key}/").status_code == 200


def test_drafts_are_frozen_while_in_review() -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    draft = actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"title_en": "X"}, token="new", by=lead
    )
    actions.submit_version(version=draft.version, by=core)

    with pytest.raises(actions.WorkflowError, match="in review"):
        actions.save_change(proposal=proposal, data=proposal_values(proposal), token=draft.token, by=lead)


def test_publish_refuses_when_the_published_row_changed_under_the_draft() -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    draft = actions.save_change(proposal=proposal, data=proposal_values(proposal) | {"trl_to": 9}, token="new", by=lead)
    Proposal.objects.filter(key=KEY).update(trl_to=6)  # e.g. an admin edit meanwhile
    actions.submit_version(version=draft.version, by=core)

    with pytest.raises(actions.WorkflowError, match="trl_to"):
        actions.publish_version(version=draft.version, by=core)

    assert Version.objects.get(number=2).status == "review"
    assert Proposal.objects.get(key=KEY).trl_to == 6


def test_invalid_edit_names_the_field_and_writes_nothing() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)

    response = _client(lead).post(f"/en/proposals/{KEY}/edit/", _form(proposal, trl_from=8, trl_to=3))

    assert response.status_code == 200
    assert response.context["form"].errors == {"trl_to": ["TRL to must not be lower than TRL from."]}
    assert "TRL to must not be lower than TRL from." in response.content.decode()
    assert not Draft.objects.exists()


def test_hostile_text_is_escaped_on_the_draft_page() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)
    _client(lead).post(f"/nl/proposals/{KEY}/edit/", _form(proposal, title_nl="<script>alert(1)</script>"))

    html = _client(lead).get(f"/nl/proposals/{KEY}/draft/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_history_shows_who_published_what() -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=KEY)
    actions.save_change(proposal=proposal, data=proposal_values(proposal) | {"status": "running"}, token="new", by=lead)
    _publish_open(core)

    entries = queries.proposal_history(KEY, Proposal.objects.get(key=KEY))

    changed = [e for e in entries if e.what == "changed"]
    assert (changed[0].who, changed[0].reason) == ("lea", "Version 2")
    assert [(c.field, c.old, c.new) for c in changed[0].changes] == [("status", proposal.status, "running")]
    html = _client(lead).get(f"/en/proposals/{KEY}/history/").content.decode()
    assert "published a change" in html and "lea" in html


def test_comment_by_htmx_returns_the_comment_list() -> None:
    member = make_user("max", "member")

    response = _client(member).post(
        f"/nl/proposals/{KEY}/comments/", {"text": "Goed idee <b>!</b>"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="comments"')
    assert "Goed idee &lt;b&gt;!&lt;/b&gt;" in html


def test_open_version_is_hidden_from_the_public(client: Client) -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=KEY)
    actions.save_change(proposal=proposal, data=proposal_values(proposal) | {"title_en": "X"}, token="new", by=lead)

    assert client.get("/nl/versions/2/").status_code == 404
    assert "Versie 2" not in client.get("/nl/versions/").content.decode()
    assert _client(lead).get("/nl/versions/2/").status_code == 200


def test_diff_form_rejects_unknown_versions(client: Client) -> None:
    response = client.get("/en/versions/diff/?old=1&new=99")
    assert response.status_code == 200
    assert "There is no published version with this number." in response.content.decode()
    assert client.get("/en/versions/diff/?old=abc&new=1").status_code == 200


def test_seed_version_is_recorded_once() -> None:
    agenda = Agenda.objects.get()
    assert actions.record_seed_version(agenda=agenda) is None
    assert Version.objects.count() == 1


def _queries(client: Client, url: str, django_assert_max_num_queries) -> int:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_proposal_page_query_count_does_not_grow_with_parties(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from trechter.actors.models import Organisation
    from trechter.agenda.models import Party

    member = make_user("max", "member")
    client = _client(member)
    proposal = Proposal.objects.get(key=LONE)
    organisations = list(Organisation.objects.exclude(parties__proposal=proposal)[:3])
    Party.objects.create(proposal=proposal, organisation=organisations[0], role="partner")
    one = _queries(client, f"/nl/proposals/{LONE}/", django_assert_max_num_queries)
    for organisation in organisations[1:]:
        Party.objects.create(proposal=proposal, organisation=organisation, role="partner")
    actions.add_comment(proposal=proposal, text="a", by=member)
    actions.add_comment(proposal=proposal, text="b", by=member)
    assert _queries(client, f"/nl/proposals/{LONE}/", django_assert_max_num_queries) == one


def test_open_version_page_query_count_does_not_grow_with_drafts(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    lead = make_user("lea", "theme_lead", "energy")
    client = _client(lead)
    proposals = list(Proposal.objects.filter(theme__key="energy", children__isnull=True)[:3])
    actions.save_change(
        proposal=proposals[0], data=proposal_values(proposals[0]) | {"title_en": "1"}, token="new", by=lead
    )
    one = _queries(client, "/nl/versions/2/", django_assert_max_num_queries)
    for p in proposals[1:]:
        actions.save_change(proposal=p, data=proposal_values(p) | {"title_en": "n"}, token="new", by=lead)
    assert _queries(client, "/nl/versions/2/", django_assert_max_num_queries) == one


def test_version_list_and_history_query_counts_do_not_grow(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    client = _client(lead)

    def publish_change(title: str) -> None:
        proposal = Proposal.objects.get(key=KEY)
        actions.save_change(
            proposal=proposal, data=proposal_values(proposal) | {"title_en": title}, token="new", by=lead
        )
        _publish_open(core)

    publish_change("one")
    versions_one = _queries(client, "/nl/versions/", django_assert_max_num_queries)
    history_one = _queries(client, f"/nl/proposals/{KEY}/history/", django_assert_max_num_queries)
    publish_change("two")
    publish_change("three")
    assert _queries(client, "/nl/versions/", django_assert_max_num_queries) == versions_one
    assert _queries(client, f"/nl/proposals/{KEY}/history/", django_assert_max_num_queries) == history_one


def _with_parties(data: dict[str, object], rows: list[tuple[str, str, str, bool]]) -> dict[str, object]:
    """POST data of the edit form with its parties formset: (organisation, role, note, remove)."""
    formset: dict[str, object] = {"parties-TOTAL_FORMS": len(rows), "parties-INITIAL_FORMS": 0}
    for i, (organisation, role, note, remove) in enumerate(rows):
        formset |= {f"parties-{i}-organisation": organisation, f"parties-{i}-role": role, f"parties-{i}-note": note}
        if remove:
            formset[f"parties-{i}-DELETE"] = "on"
    return data | formset


def test_lead_changes_parties_in_draft_and_publication_applies_them(client: Client) -> None:
    from trechter.agenda.models import Party

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=LONE)
    rows = [
        ("ISPT", "lead", "", False),
        ("dow", "lead", "now co-lead", False),  # by key, role changed
        ("ArcelorMittal Belgium", "partner", "", True),  # removed
        ("Technische Universiteit Delft", "partner", "", False),
        ("Smart Delta Resources", "to_involve", "", False),
        ("VITO", "partner", "", False),  # added by name
        ("", "partner", "", False),  # an empty row is skipped
    ]

    response = _client(lead).post(f"/nl/proposals/{LONE}/edit/", _with_parties(_form(proposal), rows))

    assert response.status_code == 302
    assert set(Party.objects.filter(proposal=proposal).values_list("organisation__key", flat=True)) >= {
        "arcelormittal-belgium"
    }  # still published as before
    draft_page = _client(lead).get(f"/en/proposals/{LONE}/draft/").content.decode()
    assert "VITO (Partner)" in re.sub(r"</?(ins|del)>", "", draft_page)  # a word diff marks pieces
    _publish_open(core)
    parties = dict(Party.objects.filter(proposal=proposal).values_list("organisation__key", "role"))
    assert parties == {
        "ispt": "lead",
        "dow": "lead",
        "tu-delft": "partner",
        "smart-delta-resources": "to_involve",
        "vito": "partner",
    }
    diff = queries.version_diff(Version.objects.get(number=1), Version.objects.get(number=2))
    assert [f.field for f in diff.proposals.changed[0].fields] == ["parties"]
    assert Party.history.filter(organisation__key="arcelormittal-belgium", history_type="-").get().history_user == lead


def test_unknown_or_repeated_party_is_refused_by_name() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=LONE)
    client = _client(lead)

    unknown = client.post(
        f"/en/proposals/{LONE}/edit/", _with_parties(_form(proposal), [("Acme Nonexistent BV", "partner", "", False)])
    )
    twice = client.post(
        f"/en/proposals/{LONE}/edit/",
        _with_parties(_form(proposal), [("TNO", "partner", "", False), ("tno", "lead", "", False)]),
    )

    assert "No organisation “Acme Nonexistent BV” is known" in unknown.content.decode()
    assert "This organisation is already a party." in twice.content.decode()
    assert not Draft.objects.exists()


def test_publish_refuses_when_parties_changed_under_the_draft() -> None:
    from trechter.agenda.models import Party

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=LONE)
    data = proposal_values(proposal) | {"parties": [{"organisation": "tno", "role": "lead", "note": ""}]}
    draft = actions.save_change(proposal=proposal, data=data, token="new", by=lead)
    Party.objects.filter(proposal=proposal, organisation__key="dow").delete()  # an admin edit meanwhile
    actions.submit_version(version=draft.version, by=core)

    with pytest.raises(actions.WorkflowError, match="parties"):
        actions.publish_version(version=draft.version, by=core)
    assert not Party.objects.filter(proposal=proposal, organisation__key="tno").exists()


def test_edit_form_lists_current_parties_by_name() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    html = _client(lead).get(f"/en/proposals/{LONE}/edit/").content.decode()
    assert 'value="DOW Chemicals Terneuzen"' in html
    assert '<datalist id="organisation-names">' in html


def _theme_form(theme_key: str, token: str = "new", **changes: object) -> dict[str, object]:
    from trechter.agenda.models import Theme
    from trechter.versions.snapshot import theme_values

    return theme_values(Theme.objects.get(key=theme_key)) | changes | {"token": token}


def test_lead_drafts_new_theme_aim_and_publication_applies_it(client: Client) -> None:
    from trechter.agenda.models import Theme

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    published_aim = Theme.objects.get(key="energy").aim_nl

    response = _client(lead).post("/nl/themes/energy/edit/", _theme_form("energy", aim_en="A sharper English aim."))

    assert response.status_code == 302
    assert "A sharper English aim." not in client.get("/en/themes/energy/").content.decode()
    assert "A sharper English aim." in re.sub(
        r"</?(ins|del)>", "", _client(lead).get("/en/versions/2/").content.decode()
    )
    _publish_open(core)
    theme = Theme.objects.get(key="energy")
    assert (theme.aim_en, theme.aim_nl) == ("A sharper English aim.", published_aim)
    diff = queries.version_diff(Version.objects.get(number=1), Version.objects.get(number=2))
    assert [(r.key, [f.field for f in r.fields]) for r in diff.themes.changed] == [("energy", ["aim_en"])]
    assert "A sharper English aim." in client.get("/en/themes/energy/").content.decode()


@pytest.mark.parametrize("role,theme", [("member", None), ("jury", None), ("theme_lead", "photonics")])
def test_theme_texts_refused_to_others(role: str, theme: str | None) -> None:
    from trechter.versions.models import ThemeDraft

    other = _client(make_user("other", role, theme))

    assert other.get("/nl/themes/energy/edit/").status_code == 403
    assert other.post("/nl/themes/energy/edit/", _theme_form("energy", aim_en="x")).status_code == 403
    assert not ThemeDraft.objects.exists()


def test_theme_texts_refused_to_anonymous(client: Client) -> None:
    response = client.post("/nl/themes/energy/edit/", _theme_form("energy", aim_en="x"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_concurrent_theme_edit_is_refused_and_shows_theirs() -> None:
    from trechter.versions.models import ThemeDraft

    ann, bob = make_user("ann", "theme_lead", "energy"), make_user("bob", "core_group")
    assert _client(ann).post("/en/themes/energy/edit/", _theme_form("energy", aim_en="Ann's aim")).status_code == 302

    refused = _client(bob).post("/en/themes/energy/edit/", _theme_form("energy", aim_en="Bob's aim"))

    html = refused.content.decode()
    assert refused.status_code == 409
    assert "Ann&#x27;s aim" in html and "Bob&#x27;s aim" in html
    assert ThemeDraft.objects.get().data["aim_en"] == "Ann's aim"


def test_discarding_a_theme_draft_needs_the_current_revision() -> None:
    from trechter.versions.models import ThemeDraft

    lead = make_user("lea", "theme_lead", "energy")
    client = _client(lead)
    client.post("/nl/themes/energy/edit/", _theme_form("energy", aim_en="v1"))
    draft = ThemeDraft.objects.get()

    stale = client.post("/nl/themes/energy/discard/", {"token": "t0:0"})
    assert stale.status_code == 302 and ThemeDraft.objects.exists()
    client.post("/nl/themes/energy/discard/", {"token": draft.token})
    assert not ThemeDraft.objects.exists()


def test_untouched_multi_line_summary_is_not_a_change() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=LONE)
    assert "\n" in proposal.summary_nl
    browser_form = _form(proposal, title_en="New") | {"summary_nl": proposal.summary_nl.replace("\n", "\r\n")}

    _client(lead).post(f"/nl/proposals/{LONE}/edit/", browser_form)

    assert [c.field for c in queries.draft_changes(Draft.objects.get())] == ["title_en"]


def test_my_drafts_lists_only_my_open_drafts(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    lea, ann = make_user("lea", "theme_lead", "energy"), make_user("ann", "theme_lead", "energy")
    proposals = list(Proposal.objects.filter(theme__key="energy", children__isnull=True).order_by("key")[:4])
    actions.save_change(
        proposal=proposals[0], data=proposal_values(proposals[0]) | {"title_en": "Lea's"}, token="new", by=lea
    )
    actions.save_change(
        proposal=proposals[1], data=proposal_values(proposals[1]) | {"title_en": "Ann's"}, token="new", by=ann
    )
    lea_client = _client(lea)

    html = lea_client.get("/en/versions/mine/").content.decode()

    assert "Lea&#x27;s" in html and "Ann&#x27;s" not in html
    assert "lea: Theme lead (Energie-innovatie)" in html
    assert client.get("/en/versions/mine/").status_code == 302
    one = _queries(lea_client, "/en/versions/mine/", django_assert_max_num_queries)
    for p in proposals[2:]:
        actions.save_change(proposal=p, data=proposal_values(p) | {"title_en": "more"}, token="new", by=lea)
    assert _queries(lea_client, "/en/versions/mine/", django_assert_max_num_queries) == one


def test_history_shows_party_changes_and_theme_history_shows_text_changes() -> None:
    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=LONE)
    data = proposal_values(proposal) | {"parties": [{"organisation": "vito", "role": "partner", "note": ""}]}
    actions.save_change(proposal=proposal, data=data, token="new", by=lead)
    from trechter.agenda.models import Theme
    from trechter.versions.snapshot import theme_values

    energy = Theme.objects.get(key="energy")
    actions.save_theme_change(theme=energy, data=theme_values(energy) | {"aim_en": "Sharper."}, token="new", by=lead)
    _publish_open(core)
    client = _client(lead)

    proposal_page = client.get(f"/en/proposals/{LONE}/history/").content.decode()
    theme_page = client.get("/en/themes/energy/history/").content.decode()

    assert "added a party" in proposal_page and "VITO (Partner)" in proposal_page
    assert "removed a party" in proposal_page and "DOW Chemicals Terneuzen (Partner)" in proposal_page
    assert "published a change" in theme_page and "aim (English)" in theme_page and "Sharper." in theme_page


def test_theme_history_refused_without_a_role() -> None:
    norole = make_user("nobody")
    assert _client(norole).get("/en/themes/energy/history/").status_code == 403


def test_theme_page_tells_its_editors_about_a_waiting_draft(client: Client) -> None:
    from trechter.agenda.models import Theme
    from trechter.versions.snapshot import theme_values

    lead = make_user("lea", "theme_lead", "energy")
    energy = Theme.objects.get(key="energy")
    actions.save_theme_change(theme=energy, data=theme_values(energy) | {"aim_en": "Draft aim."}, token="new", by=lead)

    assert "New texts for this theme wait" in _client(lead).get("/en/themes/energy/").content.decode()
    assert "New texts for this theme wait" not in client.get("/en/themes/energy/").content.decode()


def _with_answers(data: dict[str, object], rows: list[tuple[str, str, str, str, bool]]) -> dict[str, object]:
    """POST data of the theme form with its answers formset: (question, band, nl, en, remove)."""
    formset: dict[str, object] = {"answers-TOTAL_FORMS": len(rows), "answers-INITIAL_FORMS": len(rows)}
    for i, (question, band, text_nl, text_en, remove) in enumerate(rows):
        formset |= {
            f"answers-{i}-question": question,
            f"answers-{i}-band": band,
            f"answers-{i}-text_nl": text_nl,
            f"answers-{i}-text_en": text_en,
        }
        if remove:
            formset[f"answers-{i}-DELETE"] = "on"
    return data | formset


def test_lead_edits_funnel_answers_and_publication_applies_them() -> None:
    from trechter.agenda.models import FunnelAnswer, Theme
    from trechter.versions.snapshot import answer_values

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    energy = Theme.objects.get(key="energy")
    answers = answer_values(energy)
    rows = [(a["question"], a["band"], a["text_nl"], a["text_en"], False) for a in answers]
    first_question, first_band = rows[0][0], rows[0][1]
    rows[0] = (first_question, first_band, "Herschreven antwoord.", "", False)  # changed
    rows[1] = (*rows[1][:4], True)  # removed
    rows.append((first_question, "7-9", "Nieuw antwoord voor TRL 7–9.", "New answer.", False))  # added
    client = _client(lead)

    response = client.post("/nl/themes/energy/edit/", _with_answers(_theme_form("energy"), rows))

    assert response.status_code == 302
    assert FunnelAnswer.objects.filter(theme=energy).count() == len(answers)  # nothing public yet
    page = client.get("/en/themes/energy/edit/").content.decode()
    assert "Herschreven antwoord." in re.sub(r"</?(ins|del)>", "", page)
    _publish_open(core)
    texts = set(FunnelAnswer.objects.filter(theme=energy).values_list("text_nl", flat=True))
    assert "Herschreven antwoord." in texts and "Nieuw antwoord voor TRL 7–9." in texts
    assert FunnelAnswer.objects.filter(theme=energy).count() == len(answers)  # one removed, one added
    diff = queries.version_diff(Version.objects.get(number=1), Version.objects.get(number=2))
    changed = [f.field for f in diff.themes.changed[0].fields]
    assert f"answer {first_question} {first_band} 1 (nl)" in changed


def test_answer_without_dutch_text_is_refused() -> None:
    from trechter.agenda.models import FunnelQuestion
    from trechter.versions.models import ThemeDraft

    lead = make_user("lea", "theme_lead", "energy")
    question = FunnelQuestion.objects.order_by("order").values_list("key", flat=True)[0]
    rows = [(question, "all", "", "Only English", False)]

    response = _client(lead).post("/en/themes/energy/edit/", _with_answers(_theme_form("energy"), rows))

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ThemeDraft.objects.exists()


def test_saving_fields_only_keeps_drafted_parties_and_counts_a_revision() -> None:
    lead = make_user("lea", "theme_lead", "energy")
    proposal = Proposal.objects.get(key=LONE)
    parties = [{"organisation": "vito", "role": "partner", "note": ""}]
    first = actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"parties": parties}, token="new", by=lead
    )

    second = actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"title_en": "x"}, token=first.token, by=lead
    )
    assert (second.revision, second.data["parties"]) == (2, parties)

    removal = actions.save_removal(proposal=proposal, token=second.token, by=lead)
    revived = actions.save_change(proposal=proposal, data=proposal_values(proposal), token=removal.token, by=lead)
    assert (removal.revision, revived.operation, revived.revision) == (3, "change", 4)


def test_saving_theme_texts_only_keeps_drafted_answers() -> None:
    from trechter.agenda.models import Theme
    from trechter.versions.snapshot import answer_values, theme_values

    lead = make_user("lea", "theme_lead", "energy")
    energy = Theme.objects.get(key="energy")
    answers = answer_values(energy)[:1]
    first = actions.save_theme_change(
        theme=energy, data=theme_values(energy) | {"answers": answers}, token="new", by=lead
    )

    second = actions.save_theme_change(
        theme=energy, data=theme_values(energy) | {"aim_en": "y"}, token=first.token, by=lead
    )

    assert (second.revision, second.data["answers"]) == (2, answers)


def test_publish_refuses_a_party_whose_organisation_was_deleted() -> None:
    from trechter.actors.models import Organisation

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    ghost = Organisation.objects.create(key="ghost-bv", name="Ghost BV", side="NL", country="NL", type="sme")
    proposal = Proposal.objects.get(key=LONE)
    data = proposal_values(proposal) | {"parties": [{"organisation": "ghost-bv", "role": "partner", "note": ""}]}
    draft = actions.save_change(proposal=proposal, data=data, token="new", by=lead)
    ghost.delete()  # e.g. an admin merged it away meanwhile
    actions.submit_version(version=draft.version, by=core)

    with (
        translation.override("en"),
        pytest.raises(actions.WorkflowError, match="organisation no longer exists: ghost-bv"),
    ):
        actions.publish_version(version=draft.version, by=core)
    assert Version.objects.get(number=2).status == "review"


def test_a_draft_without_parties_does_not_collide_with_party_edits() -> None:
    from trechter.agenda.models import Party

    lead, core = make_user("lea", "theme_lead", "energy"), make_user("cora", "core_group")
    proposal = Proposal.objects.get(key=LONE)
    draft = actions.save_change(
        proposal=proposal, data=proposal_values(proposal) | {"title_en": "T"}, token="new", by=lead
    )
    Party.objects.filter(proposal=proposal, organisation__key="dow").delete()  # an admin edit meanwhile
    actions.submit_version(version=draft.version, by=core)

    actions.publish_version(version=draft.version, by=core)

    assert Proposal.objects.get(key=LONE).title_en == "T"


def test_party_history_survives_a_deleted_organisation() -> None:
    from trechter.actors.models import Organisation
    from trechter.agenda.models import Party

    lead = make_user("lea", "theme_lead", "energy")
    ghost = Organisation.objects.create(key="ghost-bv", name="Ghost BV", side="NL", country="NL", type="sme")
    proposal = Proposal.objects.get(key=LONE)
    Party.objects.create(proposal=proposal, organisation=ghost, role="partner").delete()
    ghost_id = ghost.pk
    ghost.delete()

    html = _client(lead).get(f"/en/proposals/{LONE}/history/").content.decode()

    assert f"#{ghost_id} (Partner)" in html  # the name went with the row; the entry stays


def test_empty_comment_without_htmx_is_refused_with_a_message() -> None:
    from trechter.versions.models import Comment

    member = _client(make_user("max", "member"))
    response = member.post(f"/en/proposals/{KEY}/comments/", {"text": "  "}, follow=True)

    assert "Comment: This field is required." in response.content.decode()
    assert not Comment.objects.exists()
