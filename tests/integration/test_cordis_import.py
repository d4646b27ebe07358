"""`import_cordis` on real CORDIS rows (tests/data/cordis, cut from the shared data set):
both file families, idempotent re-runs, resume after an interruption, refused files that leave
the database as it was, and rejected rows named by file, row and column."""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.utils import translation
from openpyxl import Workbook

from trechter.analytics import embeddings
from trechter.evidence import actions, reading
from trechter.evidence.models import (
    CordisOrganisation,
    ImportedFile,
    ImportRun,
    Participation,
    Project,
    ProjectEmbedding,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "cordis"
FLAT = [DATA / f"{fw}_{kind}.csv" for fw in ("fp7", "h2020") for kind in ("projects", "participations")]
OFFICIAL = [DATA / "H2020_project.csv", DATA / "H2020_organization.csv"]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield


def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def snapshot() -> tuple[int, int, int, int]:
    return (
        Project.objects.count(),
        CordisOrganisation.objects.count(),
        Participation.objects.count(),
        ImportedFile.objects.count(),
    )


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_flat_files_import_every_row() -> None:
    summary = actions.import_cordis(paths=FLAT)

    projects = csv_rows(DATA / "fp7_projects.csv") + csv_rows(DATA / "h2020_projects.csv")
    parts = csv_rows(DATA / "fp7_participations.csv") + csv_rows(DATA / "h2020_participations.csv")
    pairs = {(p["project_key"], p["org_id"]) for p in parts}
    assert Project.objects.count() == len(projects)
    assert Participation.objects.count() == len(pairs)
    assert CordisOrganisation.objects.count() == len({p["org_id"] for p in parts})
    assert summary.rows_read == len(projects) + len(parts)
    assert len(summary.rejections) == len(parts) - len(pairs)  # duplicate rows, each named
    totals = summary.totals()
    assert totals["projects"].inserted == len(projects)
    assert totals["participations"].inserted == len(pairs)
    assert [b.label for b in summary.batches] == ["FP7", "H2020"]
    assert ImportRun.objects.get().status == "done"


def test_flat_values_are_stored_as_given() -> None:
    actions.import_cordis(paths=FLAT)
    row = next(p for p in csv_rows(DATA / "h2020_projects.csv") if p["ec_max_contribution"] and p["start_date"])

    project = Project.objects.get(key=row["project_key"])

    assert project.framework == "H2020"
    assert project.start_on.isoformat() == row["start_date"]
    assert project.ec_max_contribution == float(row["ec_max_contribution"])
    assert project.year == int(float(row["start_year"]))
    assert project.grant_id == row["project_id"].removesuffix(".0")


def test_reimport_changes_nothing_and_skips_committed_files() -> None:
    actions.import_cordis(paths=FLAT)
    before = snapshot()
    ids = sorted(Participation.objects.values_list("id", flat=True))

    again = actions.import_cordis(paths=FLAT)
    forced = actions.import_cordis(paths=FLAT, force=True)

    assert [b.status for b in again.batches] == ["skipped", "skipped"]
    assert snapshot() == before
    assert sorted(Participation.objects.values_list("id", flat=True)) == ids
    totals = forced.totals()
    assert totals["projects"].inserted == totals["projects"].updated == 0
    assert totals["participations"].unchanged == Participation.objects.count()


def test_changed_row_is_updated_in_place(tmp_path: Path) -> None:
    actions.import_cordis(paths=FLAT[:2])
    rows = csv_rows(DATA / "fp7_projects.csv")
    rows[0]["acronym"] = "CHANGED"
    changed = write_csv(tmp_path / "fp7_projects.csv", rows)

    summary = actions.import_cordis(paths=[changed, FLAT[1]])

    assert summary.totals()["projects"].updated == 1
    assert summary.totals()["projects"].inserted == 0
    assert Project.objects.get(key=rows[0]["project_key"]).acronym == "CHANGED"
    assert Project.objects.count() == len(rows)


def test_official_export_reads_decimal_commas_multiline_text_and_postcodes() -> None:
    summary = actions.import_cordis(paths=OFFICIAL)

    source = csv_rows(DATA / "H2020_project.csv", ";")
    orgs = csv_rows(DATA / "H2020_organization.csv", ";")
    pairs = {(o["projectID"], o["organisationID"]) for o in orgs}
    # CORDIS lists a third party twice when it works for two beneficiaries: named, not stored twice.
    assert len(summary.rejections) == len(orgs) - len(pairs)
    assert all("appears again" in r.reason for r in summary.rejections)
    assert Project.objects.count() == len(source)
    first = source[0]
    project = Project.objects.get(grant_id=first["id"])
    assert project.key == f"H2020:rcn{first['rcn']}"
    assert project.total_cost == float(first["totalCost"].replace(",", "."))
    assert project.objective == first["objective"].strip()
    assert project.programme  # from the legal basis: the official export has no programme column
    assert Participation.objects.count() == len(pairs)
    flemish = next(o for o in orgs if o["country"] == "BE" and o["postCode"][:1] in "89")
    assert CordisOrganisation.objects.get(org_id=flemish["organisationID"]).side == "VL"


def test_official_organisations_without_their_project_file_use_stored_projects() -> None:
    actions.import_cordis(paths=OFFICIAL[:1])

    summary = actions.import_cordis(paths=OFFICIAL[1:])

    assert not [r for r in summary.rejections if "appears again" not in r.reason]
    assert Participation.objects.count() > 0


def test_unknown_project_and_bad_amount_are_rejected_by_row_and_column(tmp_path: Path) -> None:
    parts = csv_rows(DATA / "fp7_participations.csv")[:5]
    parts[1]["project_key"] = "FP7:rcn0"
    parts[3]["ec_contribution"] = "lots"
    path = write_csv(tmp_path / "parts.csv", parts)

    summary = actions.import_cordis(paths=[DATA / "fp7_projects.csv", path])

    assert [(r.file, r.row, r.column) for r in summary.rejections] == [
        ("parts.csv", 3, "project_key"),
        ("parts.csv", 5, "ec_contribution"),
    ]
    assert "FP7:rcn0" in summary.rejections[0].reason
    assert Participation.objects.count() == len({(p["project_key"], p["org_id"]) for p in parts}) - 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("too many", "row 3 (from line 3) has 17 fields where the header has 16"),
        ("truncated", "looks truncated"),
        ("mixed encoding", "mixes encodings"),
    ],
)
def test_broken_file_is_refused_and_nothing_is_written(tmp_path: Path, content: str, expected: str) -> None:
    actions.import_cordis(paths=FLAT[:2])
    before = snapshot()
    text = (DATA / "h2020_participations.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if content == "too many":
        lines[2] = lines[2].rstrip("\n") + ",extra\n"
        data = "".join(lines).encode()
    elif content == "truncated":
        data = ("".join(lines[:4]) + lines[4][:30].replace(",", ',"', 1)).encode()
    else:
        data = "".join(lines).encode() + "H2020:rcn1,H2020,,1,9,Caf\xe9,,BE,Gent,,PRC,,participant,,,x\n".encode(
            "cp1252"
        )
    broken = tmp_path / "h2020_participations.csv"
    broken.write_bytes(data)

    with pytest.raises(reading.FileRefused, match=re.escape(expected)):
        actions.import_cordis(paths=[DATA / "h2020_projects.csv", broken])

    assert snapshot() == before
    assert ImportRun.objects.latest("started_at").status == "refused"


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    packed = gzip.compress((DATA / "fp7_projects.csv").read_bytes())
    path = tmp_path / "fp7_projects.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])

    with pytest.raises(reading.FileRefused, match="damaged or truncated"):
        actions.import_cordis(paths=[path])
    assert snapshot() == (0, 0, 0, 0)


def test_gzip_and_cp1252_files_are_read(tmp_path: Path) -> None:
    projects = tmp_path / "fp7_projects.csv.gz"
    projects.write_bytes(gzip.compress((DATA / "fp7_projects.csv").read_bytes()))
    parts = csv_rows(DATA / "fp7_participations.csv")[:3]
    parts[0]["org_name"] = "Société Générale de Belgique"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(parts[0]))
    writer.writeheader()
    writer.writerows(parts)
    legacy = tmp_path / "fp7_participations.csv"
    legacy.write_bytes(buffer.getvalue().encode("cp1252"))

    summary = actions.import_cordis(paths=[projects, legacy])

    assert [s.encoding for s in summary.files] == ["utf-8", "cp1252"]
    assert CordisOrganisation.objects.get(org_id=parts[0]["org_id"].removesuffix(".0")).name.startswith("Société")


def test_official_export_saved_as_xlsx_imports_like_the_csv(tmp_path: Path) -> None:
    rows = csv_rows(DATA / "H2020_project.csv", delimiter=";")
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    workbook = tmp_path / "H2020_project.xlsx"
    book.save(workbook)

    summary = actions.import_cordis(paths=[workbook, DATA / "H2020_organization.csv"])

    assert summary.files[0].encoding == "xlsx" and summary.files[0].kind == "official_projects"
    assert Project.objects.count() == len({row["id"] for row in rows})
    assert Participation.objects.exists()


def test_broken_workbook_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    actions.import_cordis(paths=FLAT[:2])
    before = snapshot()
    broken = tmp_path / "H2020_project.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><not-closed")
        archive.writestr("xl/workbook.xml", "garbage")

    with pytest.raises(reading.FileRefused, match=r"H2020_project\.xlsx: the workbook cannot be read"):
        actions.import_cordis(paths=[broken, *FLAT[2:]])
    assert snapshot() == before


def test_file_of_unknown_shape_names_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "projects.csv"
    path.write_text("project_key,framework,acronym\nFP7:rcn1,FP7,X\n", encoding="utf-8")

    with pytest.raises(reading.FileRefused, match="objective"):
        actions.import_cordis(paths=[path])


def test_interrupted_import_resumes_without_partial_batches() -> None:
    """A database fault in the second batch (H2020) rolls that batch back whole; the re-run
    skips the committed FP7 batch and completes."""
    victim = csv_rows(DATA / "h2020_participations.csv")[-1]["org_name"]
    _add_fault_trigger(victim)
    try:
        with pytest.raises(DatabaseError):
            actions.import_cordis(paths=FLAT)
        fp7_keys = {p["project_key"] for p in csv_rows(DATA / "fp7_projects.csv")}
        assert set(Project.objects.values_list("key", flat=True)) == fp7_keys
        assert not Participation.objects.filter(project__framework="H2020").exists()
        assert set(ImportedFile.objects.values_list("name", flat=True)) == {
            "fp7_projects.csv",
            "fp7_participations.csv",
        }
    finally:
        _drop_fault_trigger()

    summary = actions.import_cordis(paths=FLAT)

    assert [b.status for b in summary.batches] == ["skipped", "written"]
    fresh = {(p["project_key"], p["org_id"]) for f in FLAT[1::2] for p in csv_rows(f)}
    assert Participation.objects.count() == len(fresh)


def _add_fault_trigger(name: str) -> None:
    literal = name.replace("'", "''")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION evidence_fault() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.name_as_listed = '{literal}' THEN RAISE EXCEPTION 'injected fault'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER evidence_fault BEFORE INSERT ON evidence_participation "
                "FOR EACH ROW EXECUTE FUNCTION evidence_fault()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER evidence_fault BEFORE INSERT ON evidence_participation "
                f"WHEN NEW.name_as_listed = '{literal}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
            )


def _drop_fault_trigger() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS evidence_fault"
            + (" ON evidence_participation" if connection.vendor == "postgresql" else "")
        )
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS evidence_fault()")


def test_command_prints_the_summary_and_runs_the_analysis() -> None:
    out, err = io.StringIO(), io.StringIO()

    call_command("import_cordis", *map(str, FLAT), "--no-progress", stdout=out, stderr=err)

    text = out.getvalue()
    assert re.search(rf"projects\s+{Project.objects.count()}\s+{Project.objects.count()}\s+0\s+0", text)
    assert "rejected rows: " in text
    assert "agenda organisations: " in text and "projects per theme: " in text
    assert "partner recommendation: weights learnt on " in text
    with_text = sum(
        1 for p in Project.objects.values(*embeddings.PROJECT_TEXT_FIELDS) if embeddings.project_text(p).strip()
    )
    assert f"project texts embedded: {with_text} new or changed, 0 unchanged" in text
    assert ProjectEmbedding.objects.count() == with_text > 0
    run = ImportRun.objects.get()
    assert run.status == "done" and run.started_by.startswith("cli:")


def test_command_names_a_missing_file_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"No such file: .*nothing\.csv"):
        call_command("import_cordis", str(FLAT[0]), str(tmp_path / "nothing.csv"), "--no-progress")
    assert snapshot() == (0, 0, 0, 0)


def test_command_reports_a_refused_file_in_dutch_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "h2020_projects.csv"
    broken.write_bytes((DATA / "h2020_projects.csv").read_bytes()[:-200].rsplit(b"\n", 1)[0] + b'\n"H2020:rcn1","H2')

    with pytest.raises(CommandError, match="Er is niets geïmporteerd"):
        call_command("import_cordis", str(FLAT[0]), str(broken), "--no-progress", "--lang", "nl")
    assert snapshot() == (0, 0, 0, 0)
    assert ImportRun.objects.get().status == "refused"


def test_console_script_imports_and_refuses_with_an_exit_code(tmp_path: Path) -> None:
    """`trechter import-cordis` as a user runs it: its own process and SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRECHTER_", "PYTEST", "DATABASE_URL"))}
    env |= {"TRECHTER_DEBUG": "1", "TRECHTER_DATA_DIR": str(tmp_path)}
    trechter = str(Path(sys.executable).parent / "trechter")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([trechter, *args], env=env, capture_output=True, text=True, timeout=300, check=False)

    assert run("migrate", "-v0").returncode == 0
    done = run("import-cordis", *map(str, FLAT), "--no-progress", "--skip-analysis")
    refused = run("import-cordis", str(tmp_path / "nothing.csv"))

    assert done.returncode == 0, done.stderr
    assert "rows read:" in done.stdout and "agenda organisations" not in done.stdout
    assert refused.returncode != 0 and "No such file" in refused.stderr


def test_embeddings_follow_the_project_texts() -> None:
    actions.import_cordis(paths=FLAT)
    first = actions.embed_projects()
    with_text = Project.objects.filter(embedding__isnull=False).order_by("key")
    changed, emptied = with_text[0], with_text[1]
    before = {e.project_id: bytes(e.vector) for e in ProjectEmbedding.objects.all()}

    Project.objects.filter(pk=changed.pk).update(
        **{**dict.fromkeys(embeddings.PROJECT_TEXT_FIELDS, ""), "title": "Zonnepanelen op daken"}
    )
    Project.objects.filter(pk=emptied.pk).update(**dict.fromkeys(embeddings.PROJECT_TEXT_FIELDS, ""))
    second = actions.embed_projects()

    assert first.encoded == len(before) > 2 and first.kept == 0
    assert (second.encoded, second.kept, second.removed) == (1, len(before) - 2, 1)
    after = {e.project_id: bytes(e.vector) for e in ProjectEmbedding.objects.all()}
    assert emptied.pk not in after
    assert after[changed.pk] != before[changed.pk]
    assert {k: v for k, v in after.items() if k != changed.pk} == {
        k: v for k, v in before.items() if k not in (changed.pk, emptied.pk)
    }
    stored = ProjectEmbedding.objects.get(pk=changed.pk)
    assert stored.fingerprint == embeddings.fingerprint("Zonnepanelen op daken")
    assert float(embeddings.from_bytes(stored.vector) @ embeddings.encode(["Solar panels on roofs"])[0]) > 0.5
    assert actions.embed_projects().encoded == 0


def test_a_stopped_embedding_run_keeps_finished_chunks_and_the_next_run_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actions.import_cordis(paths=FLAT)
    monkeypatch.setattr(actions, "EMBED_CHUNK", 10)
    calls = 0
    real = embeddings.encode

    def failing(texts: list[str], **kw: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(texts)

    monkeypatch.setattr(embeddings, "encode", failing)
    with pytest.raises(KeyboardInterrupt):
        actions.embed_projects()
    assert ProjectEmbedding.objects.count() == 20

    monkeypatch.setattr(embeddings, "encode", real)
    resumed = actions.embed_projects()
    assert resumed.kept == 20 and resumed.encoded > 0
    assert ProjectEmbedding.objects.count() == resumed.kept + resumed.encoded
