"""The partner finder on the repo's CORDIS fixtures and the real seed agenda: weights learnt
from the imported projects, suggestions from a proposal or free text on the wanted side with
reasons, the filters, bad input named, and a clear state before any training."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client

from trechter.agenda.models import Proposal, Theme
from trechter.evidence import actions as evidence
from trechter.evidence.models import CordisOrganisation, OrganisationLink, Project
from trechter.funding.models import Instrument
from trechter.partners import actions, consortia, views
from trechter.partners.forms import ConsortiumForm
from trechter.partners.models import RecommenderWeights

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = [
    *(DATA / "cordis" / f"{fw}_{kind}.csv" for fw in ("fp7", "h2020") for kind in ("projects", "participations")),
    DATA / "cordis_nl_be" / "projects.csv",
    DATA / "cordis_nl_be" / "participations.csv",
]


@pytest.fixture
def trained() -> RecommenderWeights:
    cache.clear()
    evidence.import_cordis(paths=FILES)
    evidence.resolve_hashed_ids()
    evidence.link_organisations()
    evidence.classify_projects()
    evidence.embed_projects()
    return actions.train_recommender()


def suggested(page: str) -> list[str]:
    return re.findall(r'<a href="/[a-z]{2}/evidence/organisations/([^/]+)/" title="[^"]*"><strong>', page)


def a_proposal_with_linked_parties() -> Proposal:
    linked = OrganisationLink.objects.filter(status__in=("accepted", "confirmed")).values("organisation")
    proposal = Proposal.objects.filter(parties__organisation__in=linked).order_by("key").first()
    assert proposal is not None
    return proposal


def test_weights_are_learnt_on_a_year_of_the_imported_projects(trained: RecommenderWeights) -> None:
    assert trained.query_count > 0
    assert len(trained.warm) == len(trained.names) == len(trained.cold)
    assert any(weight != 0 for weight in trained.warm)


def test_proposal_gets_flemish_partners_with_reasons(client: Client, trained: RecommenderWeights) -> None:
    proposal = a_proposal_with_linked_parties()

    page = client.get(f"/en/partners/?proposal={proposal.key}&side=VL").content.decode()

    found = suggested(page)
    assert len(found) == 20
    sides = dict(CordisOrganisation.objects.filter(org_id__in=found).values_list("org_id", "side"))
    assert set(sides.values()) == {"VL"}
    assert "Partners on board, as the EU data knows them" in page
    assert re.search(r"\d+ joint EU projects? with ", page), "a reason names joint projects with a partner"
    themes = Theme.objects.all()
    assert any(re.search(rf"\d+ projects? in {re.escape(t.name_en)}<", page) for t in themes), "themes by name"
    assert not any(re.search(rf"\d+ projects? in {re.escape(t.key)}<", page) for t in themes), "never by key"


def test_free_dutch_text_with_roles_gets_only_those_kinds(client: Client, trained: RecommenderWeights) -> None:
    page = client.get("/nl/partners/?text=zonnecellen+en+waterstof&side=NL&roles=company").content.decode()

    found = suggested(page)
    assert found
    kinds = set(CordisOrganisation.objects.filter(org_id__in=found).values_list("activity_type", flat=True))
    sides = set(CordisOrganisation.objects.filter(org_id__in=found).values_list("side", flat=True))
    assert kinds == {"PRC"} and sides == {"NL"}
    assert "voorgestelde partners" in page


def test_dutch_text_finds_partners_by_the_meaning_of_their_english_projects(
    client: Client, trained: RecommenderWeights
) -> None:
    # Every project text of the fixture is English; the query shares no word with them. Imported
    # titles are data from outside: one with markup must reach the page escaped.
    Project.objects.update(acronym=Concat(Value("<i>"), "acronym"))
    text = "hergebruik+van+kunststofafval+uit+huishoudelijke+apparaten"
    page = client.get(f"/en/partners/?text={text}&side=both&roles=company").content.decode()

    assert suggested(page)
    closest = re.findall(r"close in meaning to its project “([^”]+)”", page)
    assert closest, "a reason names the organisation's project closest in meaning"
    assert all(c.startswith("&lt;i&gt;") for c in closest) and "“<i>" not in page
    words = " ".join(closest).lower()
    assert any(word in words for word in ("recycl", "plastic", "polymer", "circular")), closest


def test_both_sides_can_be_asked_for(client: Client, trained: RecommenderWeights) -> None:
    page = client.get("/en/partners/?text=solar+cells+and+hydrogen&side=both").content.decode()
    sides = set(CordisOrganisation.objects.filter(org_id__in=suggested(page)).values_list("side", flat=True))
    assert sides and sides <= {"NL", "VL", "BRU", "WAL", "BE"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("side=VL", "Choose a proposal, describe the project, pick a theme or name a partner."),
        ("text=x&trl_from=6&trl_to=3", "The highest TRL is below the lowest."),
        ("text=x&side=XX", "Select a valid choice."),
        ("proposal=no-such-proposal", "Select a valid choice."),
    ],
)
def test_bad_input_is_named(client: Client, trained: RecommenderWeights, query: str, message: str) -> None:
    page = client.get(f"/en/partners/?{query}").content.decode()
    assert message in page
    assert not suggested(page)


def test_before_training_the_page_says_how_to_start(client: Client) -> None:
    page = client.get("/en/partners/?text=solar+cells").content.decode()
    assert "trechter train-recommender" in page
    assert not suggested(page)


def test_training_without_projects_is_refused_with_a_reason() -> None:
    with pytest.raises(CommandError, match="Nothing to learn from"):
        call_command("train_recommender")
    assert not RecommenderWeights.objects.exists()


def team_members(page: str) -> list[list[str]]:
    """The org ids of each team on the consortium page, in page order."""
    teams = page.split('<article class="team">')[1:]
    return [re.findall(r'<th scope="row"><a href="/[a-z]{2}/evidence/organisations/([^/]+)/"', team) for team in teams]


def test_consortium_meets_every_demand_and_keeps_the_partners_on_board(
    client: Client, trained: RecommenderWeights
) -> None:
    proposal = a_proposal_with_linked_parties()
    query = f"proposal={proposal.key}&need_company=on&need_knowledge=on&size_min=3&size_max=6&alternatives=2"

    page = client.get(f"/en/partners/consortium/?{query}").content.decode()

    teams = team_members(page)
    assert 1 <= len(teams) <= 2
    on_board = {
        (link.cordis.same_as or link.cordis).org_id
        for link in OrganisationLink.objects.filter(
            organisation__parties__proposal=proposal, status__in=("accepted", "confirmed")
        ).select_related("cordis__same_as")
    }
    must = set(
        CordisOrganisation.objects.filter(org_id__in=on_board, side__in=("NL", "VL")).values_list("org_id", flat=True)
    )
    assert must
    for members in teams:
        records = {o.org_id: o for o in CordisOrganisation.objects.filter(org_id__in=members)}
        assert 3 <= len(members) <= 6
        assert {"NL", "VL"} <= {records[m].side for m in members}
        kinds = {records[m].activity_type for m in members}
        assert "PRC" in kinds and kinds & {"HES", "REC"}
        assert must <= set(members), "the partners on board take part in every team"
    if len(teams) == 2:
        assert len(set(teams[0]) - set(teams[1])) >= 2, "alternatives differ by at least two members"


def test_consortium_that_cannot_be_built_says_why_and_how_to_relax(client: Client, trained: RecommenderWeights) -> None:
    query = "text=solar&need_company=on&size_min=2&size_max=3&dutch_min=2&flemish_min=2"

    page = client.get(f"/nl/partners/consortium/?{query}").content.decode()

    assert "Geen team voldoet aan deze eisen" in page
    assert "Dichtstbijzijnde versoepelingen" in page
    assert not team_members(page)


def test_consortium_form_names_bad_sizes(client: Client, trained: RecommenderWeights) -> None:
    page = client.get("/en/partners/consortium/?text=solar&size_min=5&size_max=3").content.decode()
    assert "The largest team is smaller than the smallest." in page
    assert not team_members(page)


def test_each_team_says_which_funding_fits_it(client: Client, trained: RecommenderWeights) -> None:
    query = "text=solar+cells&need_company=on&need_knowledge=on&dutch_min=1&flemish_min=1&trl_from=4&trl_to=6"

    page = client.get(f"/en/partners/consortium/?{query}").content.decode()
    form = ConsortiumForm(dict(pair.split("=") for pair in query.replace("+", " ").split("&")))
    assert form.is_valid(), form.errors
    outcome = consortia.build(views._request(form.cleaned_data), consortia.requirements_of(form.cleaned_data), 1)

    assert outcome is not None and outcome.teams
    team = outcome.teams[0]
    assert {a.instrument.key for a in team.funding} == set(
        Instrument.objects.exclude(rules=[]).values_list("key", flat=True)
    )
    assert "interreg-vl-nl" in {a.instrument.key for a in team.funding_fits}  # TRL 4–6, both sides
    eurostars = next(a for a in team.funding if a.instrument.key == "eurostars")
    assert eurostars.status == "unknown" and [line.reason for line in eurostars.problems] == ["lead_unknown"]
    teams = page.split('<article class="team">')[1:]
    assert teams and all("Funding that fits this team" in t and "/en/instruments/interreg-vl-nl/" in t for t in teams)


@pytest.mark.parametrize(
    ("activity", "sme", "side", "expected"),
    [("PRC", True, "NL", ("sme", "NL")), ("PRC", None, "VL", ("large_company", "VL")),
     ("HES", None, "BRU", ("university", "BE_OTHER")), ("REC", None, "OTHER", ("rto", "OTHER")),
     ("", None, "WAL", ("other", "BE_OTHER"))],
)  # fmt: skip
def test_a_cordis_organisation_as_the_eligibility_rules_see_it(
    activity: str, sme: bool | None, side: str, expected: tuple[str, str]
) -> None:
    organisation = CordisOrganisation(org_id="x", name="X", country="BE", activity_type=activity, is_sme=sme, side=side)

    partner = consortia.partner_of(organisation)

    assert (partner.type, partner.side, partner.country) == (*expected, "BE")
