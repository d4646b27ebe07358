"""Facts of the seed document, read from the text by hand, held against the loaded database.

Each assertion names where it stands in `../shared/seed/000_64389112c151c69e.txt`; a change
to the data set that contradicts the seed fails here.
"""

import datetime

import pytest

from trechter.actors.models import Group, Meeting
from trechter.agenda.models import Proposal, Theme, TrlLevel
from trechter.assessment.models import CriteriaAssessment, Criterion
from trechter.funding.models import Instrument

pytestmark = pytest.mark.django_db


def _parties(proposal: Proposal, role: str) -> set[str]:
    return set(proposal.parties.filter(role=role).values_list("organisation__key", flat=True))


def test_six_themes_in_the_seeds_order() -> None:
    # Hoofdstuk 1: "zes thema's (in alfabetische volgorde)".
    assert list(Theme.objects.values_list("name_nl", flat=True)) == [
        "Energie-innovatie",
        "Factories of the Future",
        "Flexibele Elektronica",
        "Fotonica",
        "Life Sciences & Health",
        "Nieuwe Materialen",
    ]


def test_energy_system_analysis_budget_duration_and_parties() -> None:
    # Sectie 2.2.6: "3 à 4 miljoen euro", "doorlooptijd ... 3 jaar", "VITO, TNO, ISPT, te betrekken: ... EZ ..., VEA".
    p = Proposal.objects.get(overview_label_nl="Energie-systeemanalyse")
    assert (p.budget_total_min_eur, p.budget_total_max_eur) == (3_000_000, 4_000_000)
    assert p.duration_months == 36
    assert {"vito", "tno", "ispt"} <= _parties(p, "partner") | _parties(p, "lead")
    assert {"ministerie-ez", "vea"} <= _parties(p, "to_involve")


def test_energy_pv_budget_per_year_for_four_years() -> None:
    # Sectie 2.2.2: "3 miljoen euro per jaar gedurende 4 jaar".
    p = Proposal.objects.get(overview_label_nl="Zonnestroompanelen")
    assert (p.budget_per_year_min_eur, p.budget_per_year_max_eur, p.budget_years) == (3_000_000, 3_000_000, 4)
    assert p.budget_total_range == (12_000_000, 12_000_000)


def test_photonics_project_budget_and_interreg() -> None:
    # Bijlage 4d: "Voor het beoogde Interregproject is ... een budget vereist van ca. M€ 10."
    p = Proposal.objects.get(theme__key="photonics", kind="project", overview_order=1)
    assert (p.budget_total_min_eur, p.budget_total_max_eur) == (10_000_000, 10_000_000)
    assert p.instruments.filter(instrument__key="interreg-vl-nl").exists()


def test_lsh_projects_carry_the_stated_trl_bands() -> None:
    # Sectie 2.1: "Strategisch basisonderzoek (TRL's 1-3)", "Translationeel ... (4-6)", "Implementatie (7-9)".
    bands = list(
        Proposal.objects.filter(theme__key="lsh", kind="project", overview_order__isnull=False)
        .order_by("overview_order")
        .values_list("trl_from", "trl_to", "trl_basis")
    )
    assert bands == [(1, 3, "stated"), (4, 6, "stated"), (7, 9, "stated")]


def test_new_materials_programme() -> None:
    # Sectie 2.7.3: "programma van 4 jaar", "jaarlijks budget ... ± 3 miljoen euro", "TRL's 1-6".
    p = Proposal.objects.get(overview_label_nl="Programma rond grootschalig 3D-printen")
    assert (p.trl_from, p.trl_to, p.trl_basis) == (1, 6, "stated")
    assert (p.budget_per_year_min_eur, p.budget_years) == (3_000_000, 4)


def test_mit_limit_is_recorded() -> None:
    # Bijlage 4f: "MIT-regeling ... (max. € 200.000 per project)".
    assert "200.000" in Instrument.objects.get(key="mit").notes_nl


def test_interreg_sits_on_trl_4_to_6() -> None:
    # Sectie 1.2, figuur trechtermodel: INTERREG (VL/NL) over TRL 4-6.
    interreg = Instrument.objects.get(key="interreg-vl-nl")
    assert (interreg.trl_from, interreg.trl_to) == (4, 6)


def test_stakeholder_group_has_the_forty_rows_of_bijlage_1() -> None:
    group = Group.objects.get(key="stakeholder-group")
    members = dict(group.memberships.values_list("person__name", "organisation__key"))
    assert len(members) == 40
    assert members["Anja Hezemans"] == "ministerie-ez"
    assert members["Erwin Dewallef"] == "ewi"
    assert members["Hugo Thienpont"] == "b-phot"


def test_meetings_of_2016() -> None:
    # Hoofdstuk 1: 31 maart Den Haag, 24 juni Amsterdam, 5 augustus Eindhoven (kerngroep),
    # 16 september Brussel; Bijlage 4a: workshop 26 augustus 2016 with 25 experts + coordination.
    meetings = {m.held_on: m for m in Meeting.objects.select_related("group")}
    assert meetings[datetime.date(2016, 3, 31)].place == "Den Haag"
    assert meetings[datetime.date(2016, 6, 24)].place == "Amsterdam"
    assert meetings[datetime.date(2016, 8, 5)].group.kind == "core"
    assert meetings[datetime.date(2016, 9, 16)].place == "Brussel"
    workshop = meetings[datetime.date(2016, 8, 26)]
    assert workshop.participants.count() == 25 + 3


def test_trl_levels_and_criteria_tree() -> None:
    assert TrlLevel.objects.count() == 9
    assert TrlLevel.objects.get(level=1).text_nl.startswith("Het innovatieve idee en de basisprincipes")
    assert Criterion.objects.count() == 20
    assert Criterion.objects.filter(parent__isnull=True).count() == 9
    assert Criterion.objects.get(key="balance-push-pull").parent.parent.key == "business-involvement"


def test_new_materials_own_criteria_assessment() -> None:
    # Bijlage 4f, "Gebundelde criterialijst (per 11 augustus 2016)": 15 × "Aanwezig", a note on
    # organising capacity, complementarity left blank.
    assessment = CriteriaAssessment.objects.get(subject_theme__key="new-materials")
    findings = {f.criterion.key: f for f in assessment.findings.select_related("criterion")}
    assert assessment.assessed_on == datetime.date(2016, 8, 11)
    assert len(findings) == 20
    assert sum(1 for f in findings.values() if f.present) == 15
    assert findings["complementarity"].present is None
    assert "M2i, Sirris en SIM" in findings["organising-capacity"].note_nl
