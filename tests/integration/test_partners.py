"""The partner finder on the repo's CORDIS fixtures and the real seed agenda: weights learnt
from the imported projects, suggestions from a proposal or free text on the wanted side with
reasons, the filters, bad input named, and a clear state before any training."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from trechter.agenda.models import Proposal
from trechter.evidence import actions as evidence
from trechter.evidence.models import CordisOrganisation, OrganisationLink
from trechter.partners import actions
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


def test_free_dutch_text_with_roles_gets_only_those_kinds(client: Client, trained: RecommenderWeights) -> None:
    page = client.get("/nl/partners/?text=zonnecellen+en+waterstof&side=NL&roles=company").content.decode()

    found = suggested(page)
    assert found
    kinds = set(CordisOrganisation.objects.filter(org_id__in=found).values_list("activity_type", flat=True))
    sides = set(CordisOrganisation.objects.filter(org_id__in=found).values_list("side", flat=True))
    assert kinds == {"PRC"} and sides == {"NL"}
    assert "voorgestelde partners" in page


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
