"""Settings refuse bad configuration; the `trechter` console script works end to end."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

TRECHTER = shutil.which("trechter", path=str(Path(sys.executable).parent)) or "trechter"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRECHTER_", "PYTEST", "DATABASE_URL"))}
    return env | extra


def _setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='trechter.settings'; django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _setup(_env())
    assert result.returncode != 0
    assert "TRECHTER_SECRET_KEY must be set" in result.stderr


def test_short_secret_key_is_refused() -> None:
    assert "at least 32 characters" in _setup(_env(TRECHTER_SECRET_KEY="short")).stderr


def test_bad_boolean_is_refused_by_name() -> None:
    result = _setup(_env(TRECHTER_DEBUG="maybe"))
    assert "TRECHTER_DEBUG='maybe' is not a boolean" in result.stderr


def test_unknown_database_url_scheme_is_refused() -> None:
    result = _setup(_env(TRECHTER_DEBUG="1", DATABASE_URL="mysql://x@y/z"))
    assert "DATABASE_URL must be a postgres:// or sqlite: URL" in result.stderr


def test_console_script_migrates_loads_and_prints_the_agenda(tmp_path: Path) -> None:
    env = _env(TRECHTER_DEBUG="1", TRECHTER_DATA_DIR=str(tmp_path))
    run = lambda *args: subprocess.run([TRECHTER, *args], env=env, capture_output=True, text=True, timeout=300)  # noqa: E731

    assert run("migrate", "-v0").returncode == 0
    loaded = run("load-seed")
    again = run("load-seed")
    agenda = run("agenda")
    agenda_en = run("agenda", "--lang", "en")
    check = run("check")

    assert loaded.returncode == 0, loaded.stderr
    assert "Seed data set loaded." in loaded.stdout
    assert "nothing changed" in again.stdout
    assert agenda.stdout.startswith("Thema")
    assert "Geïntegreerde Fotonica" in agenda.stdout
    assert agenda_en.stdout.startswith("Theme")
    assert "Photonics" in agenda_en.stdout
    assert check.returncode == 0 and "finding(s)." in check.stdout
    assert (tmp_path / "trechter.sqlite3").exists()


def test_console_script_refuses_a_bad_folder_with_exit_code(tmp_path: Path) -> None:
    env = _env(TRECHTER_DEBUG="1", TRECHTER_DATA_DIR=str(tmp_path))
    subprocess.run([TRECHTER, "migrate", "-v0"], env=env, check=True)
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "x.yaml").write_text("themes: 3\n", encoding="utf-8")
    result = subprocess.run(
        [TRECHTER, "load-seed", "--folder", str(tmp_path / "seed")], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "x.yaml: themes: Input should be a valid list" in result.stderr


def test_help_lists_the_commands() -> None:
    out = subprocess.run([TRECHTER, "--help"], env=_env(), capture_output=True, text=True).stdout
    for command in ("run", "load-seed", "agenda", "check"):
        assert f"trechter {command}" in out
