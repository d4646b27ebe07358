"""`trechter check` finds what the database cannot forbid."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import CheckConstraint

from trechter.actors.models import Organisation
from trechter.agenda import queries
from trechter.agenda.models import Party, Proposal, Theme

pytestmark = pytest.mark.django_db

ONE_SIDED = "project proposals in TRL 4–6 without parties on both sides"


def _project(key: str, **fields) -> Proposal:  # type: ignore[no-untyped-def]
    defaults = {"kind": "project", "theme": Theme.objects.get(key="photonics"), "title_nl": key, "source": "test"}
    return Proposal.objects.create(key=key, **(defaults | fields))


def test_one_sided_project_in_interreg_band_is_reported() -> None:
    project = _project("one-sided", trl_from=4, trl_to=6)
    Party.objects.create(proposal=project, organisation=Organisation.objects.get(key="tno"), role="lead")

    report = queries.integrity_report()

    assert "one-sided: no party from VL" in report.checks[ONE_SIDED]


def test_two_sided_project_is_not_reported() -> None:
    project = _project("two-sided", trl_from=5, trl_to=7)
    Party.objects.create(proposal=project, organisation=Organisation.objects.get(key="tno"), role="lead")
    Party.objects.create(proposal=project, organisation=Organisation.objects.get(key="imec"), role="partner")

    assert not any(item.startswith("two-sided:") for item in queries.integrity_report().checks[ONE_SIDED])


def test_project_outside_the_band_is_not_checked() -> None:
    _project("basic-research", trl_from=1, trl_to=3)
    assert not any(i.startswith("basic-research:") for i in queries.integrity_report().checks[ONE_SIDED])


def test_proposal_without_source_is_reported() -> None:
    _project("no-source", source="")
    assert "no-source" in queries.integrity_report().checks["proposals without source"]


def test_check_command_on_the_seed(call) -> None:  # type: ignore[no-untyped-def]
    out = call("integrity")
    assert "invalid TRL ranges" in out
    assert "proposals without source" in out
    assert out.strip().endswith("finding(s).")


def test_seed_has_no_invalid_trl_and_no_missing_source() -> None:
    report = queries.integrity_report()
    assert report.checks["invalid TRL ranges"] == []
    assert report.checks["proposals without source"] == []
    assert report.checks["organisations without side"] == []


def test_project_without_parties_is_reported_as_such() -> None:
    _project("nobody", trl_from=4, trl_to=4)
    assert "nobody: no parties named" in queries.integrity_report().checks[ONE_SIDED]


@contextmanager
def _constraints_off() -> Iterator[None]:
    """Write what the check constraints forbid, as a database restored from elsewhere might
    hold: SQLite ignores CHECKs on request; PostgreSQL drops them inside the test transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            try:
                yield
            finally:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending FK checks
            for model in (Proposal, Organisation):
                for constraint in model._meta.constraints:
                    if isinstance(constraint, CheckConstraint):
                        cursor.execute(f'ALTER TABLE {model._meta.db_table} DROP CONSTRAINT "{constraint.name}"')
            yield


def test_invalid_trl_ranges_are_reported() -> None:
    reversed_ = _project("reversed", trl_from=4, trl_to=6)
    half = _project("half", trl_from=4, trl_to=6)
    with _constraints_off():
        Proposal.objects.filter(pk=reversed_.pk).update(trl_from=7, trl_to=3)
        Proposal.objects.filter(pk=half.pk).update(trl_to=None)
    assert queries.integrity_report().checks["invalid TRL ranges"] == ["half: TRL 4–None", "reversed: TRL 7–3"]


def test_organisation_without_side_is_reported() -> None:
    with _constraints_off():
        Organisation.objects.filter(key="tno").update(side="")
    assert queries.integrity_report().checks["organisations without side"] == ["tno"]
