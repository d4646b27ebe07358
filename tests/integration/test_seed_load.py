"""Loading the seed: complete, idempotent, and all-or-nothing."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from tests.factories import empty_database
from trechter.actors.models import Organisation, Person
from trechter.agenda.models import Party, Proposal, Theme
from trechter.assessment.models import CriterionFinding
from trechter.seed import actions
from trechter.seed.dataset import DATA_DIR, SeedError, read_dataset

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"actors", "agenda", "funding", "assessment", "versions"}
        # History tables keep the deletions of empty_database(); they are not seed rows.
        and not model.__name__.startswith("Historical")
        and model.__name__ != "ContentStamp"  # cache bookkeeping, renewed by every change
    }


def test_seed_rows_match_the_data_set() -> None:
    dataset = read_dataset()
    assert Theme.objects.count() == len(dataset.records("themes")) == 6
    assert Proposal.objects.count() == len(dataset.records("proposals"))
    assert Organisation.objects.count() == len(dataset.records("organisations"))
    assert Person.objects.count() == len(dataset.records("people"))
    assert Party.objects.count() == sum(len(p.parties) for p in dataset.records("proposals"))


def test_load_seed_twice_changes_nothing() -> None:
    before = _row_counts()
    ids_before = set(Proposal.objects.values_list("pk", "key"))

    result = actions.load_seed()

    assert not result.changed, (result.created, result.updated, result.deleted)
    assert _row_counts() == before
    assert set(Proposal.objects.values_list("pk", "key")) == ids_before


def test_load_seed_into_empty_database_then_again_is_stable() -> None:
    empty_database()
    first = actions.load_seed()
    counts = _row_counts()
    second = actions.load_seed()
    assert first.changed and not second.changed
    assert _row_counts() == counts


def test_load_seed_restores_an_edited_seed_record() -> None:
    proposal = Proposal.objects.filter(budget_total_min_eur__isnull=False).first()
    assert proposal is not None
    original = proposal.title_nl
    Proposal.objects.filter(pk=proposal.pk).update(title_nl="Gewijzigd")

    result = actions.load_seed()

    proposal.refresh_from_db()
    assert proposal.title_nl == original
    assert result.updated == {"proposals": 1}


def test_malformed_data_set_writes_nothing(tmp_path: Path) -> None:
    empty_database()
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    path = folder / "themes" / "lsh.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["proposals"][-1]["budget"] = {"total_min_eur": -5, "total_max_eur": 10, "text_nl": "x"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(SeedError) as info:
        actions.load_seed(folder=folder)

    assert "themes/lsh.yaml: proposals[" in info.value.problems[0]
    assert "budget.total_min_eur" in info.value.problems[0]
    assert all(n == 0 for n in _row_counts().values())


def _fail_inserts_into(table: str) -> None:
    """Inject a fault at the database boundary: every INSERT into `table` raises."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER fail_insert BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'injected'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$"
                " LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER fail_insert BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fail_insert()"
            )


def test_failure_half_way_rolls_back_everything() -> None:
    """The criterion findings are written last: a fault there must undo every row before it."""
    empty_database()
    _fail_inserts_into(CriterionFinding._meta.db_table)

    with pytest.raises(DatabaseError, match="injected"):
        actions.load_seed()

    assert all(n == 0 for n in _row_counts().values())


def test_load_seed_command_reports_place_and_exits_nonzero(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    (folder / "bad.yaml").write_text("people:\n  - {key: Bad Key, name: X, source: s}\n", encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"bad.yaml: people\[0\] \(key 'Bad Key'\): key: String should match pattern"
    ):
        call_command("load_seed", folder=folder)


def test_load_seed_if_empty_skips_a_loaded_database(call) -> None:  # type: ignore[no-untyped-def]
    assert "already loaded" in call("load_seed", "--if-empty")
