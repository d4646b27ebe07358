"""Reading the data set: the built-in one is valid; a broken one is refused with the place named."""

import shutil
from pathlib import Path

import pytest
import yaml

from trechter.seed.dataset import DATA_DIR, SeedError, read_dataset


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


class _NoAliases(yaml.SafeDumper):
    """Write repeated objects out in full: the reader refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(SeedError) as info:
        read_dataset(folder)
    return info.value.problems


def test_builtin_dataset_is_valid() -> None:
    dataset = read_dataset()
    assert dataset.agenda is not None
    assert len(dataset.records("themes")) == 6
    assert len(dataset.records("trl_levels")) == 9


def test_bad_trl_is_reported_with_file_record_and_field(data_copy: Path) -> None:
    path = data_copy / "themes" / "energy.yaml"
    _edit(path, lambda d: d["proposals"][0].update(trl={"trl_from": 7, "trl_to": 3}))
    key = yaml.safe_load(path.read_text(encoding="utf-8"))["proposals"][0]["key"]
    problems = _problems(data_copy)
    assert len(problems) == 1
    assert problems[0].startswith(f"themes/energy.yaml: proposals[0] (key '{key}'): trl: ")
    assert "greater than trl_to" in problems[0]


def test_yaml_syntax_error_names_the_line(data_copy: Path) -> None:
    (data_copy / "broken.yaml").write_text("organisations:\n  - {key: x, name: [unclosed\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert problems[0].startswith("broken.yaml: line ")
    assert "not valid YAML" in problems[0]


def test_wrong_encoding_is_reported(data_copy: Path) -> None:
    (data_copy / "latin1.yaml").write_bytes("organisations: []\n# Geïntegreerde\n".encode("cp1252"))
    assert _problems(data_copy)[0].startswith("latin1.yaml: not UTF-8")


def test_duplicate_key_names_both_places(data_copy: Path) -> None:
    (data_copy / "zz_dupe.yaml").write_text(
        "organisations:\n  - {key: tno, name: TNO bis, side: NL, country: NL, type: rto, source: x}\n",
        encoding="utf-8",
    )
    problems = _problems(data_copy)
    assert problems == [
        "zz_dupe.yaml: organisations[0] (key 'tno'): key 'tno' already declared at "
        "organisations/common.yaml: organisations[0] (key 'tno')"
    ]


def test_unknown_reference_is_reported(data_copy: Path) -> None:
    _edit(
        data_copy / "themes" / "photonics.yaml",
        lambda d: d["proposals"][0].update(parties=[{"organisation": "no-such-org", "role": "lead"}]),
    )
    problems = _problems(data_copy)
    assert len(problems) == 1
    assert problems[0].endswith("parties: unknown organisation 'no-such-org'")


def test_criteria_cycle_is_reported(data_copy: Path) -> None:
    def loop(d: dict) -> None:
        by_key = {c["key"]: c for c in d["criteria"]}
        by_key["business-involvement"]["parent"] = "balance-push-pull"

    _edit(data_copy / "reference.yaml", loop)
    assert any("hierarchy has a cycle" in p for p in _problems(data_copy))


def test_missing_trl_level_is_reported(data_copy: Path) -> None:
    _edit(data_copy / "reference.yaml", lambda d: d.update(trl_levels=d["trl_levels"][:8]))
    assert _problems(data_copy) == ["trl_levels: levels [9] are missing (all nine are needed)"]


def test_yaml_aliases_are_refused(data_copy: Path) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    (data_copy / "bomb.yaml").write_text(bomb, encoding="utf-8")
    assert _problems(data_copy) == ["bomb.yaml: line 2, column 8: not valid YAML (aliases (*name) are not allowed)"]


def test_oversized_file_is_refused(data_copy: Path) -> None:
    (data_copy / "huge.yaml").write_text("# " + "x" * 5_000_001, encoding="utf-8")
    assert _problems(data_copy) == ["huge.yaml: larger than 5 MB; split it into several files"]


def test_repeated_child_rows_are_reported_not_merged(data_copy: Path) -> None:
    def repeat(d: dict) -> None:
        d["actors"].append(dict(d["actors"][0]))
        d["proposals"][0]["instruments"] = [{"instrument": "mit", "state": "candidate"}] * 2

    _edit(data_copy / "themes" / "energy.yaml", repeat)
    _edit(
        data_copy / "groups.yaml",
        lambda d: d["groups"][0]["members"].append(dict(d["groups"][0]["members"][0])),
    )
    problems = _problems(data_copy)
    assert len(problems) == 3
    assert any(
        p.startswith("groups.yaml: groups[0]") and ": members: " in p and "listed 2 times" in p for p in problems
    )
    assert any(": instruments: 'mit' listed 2 times" in p for p in problems)
    assert any(p.startswith("actors: theme and organisation: ('energy', ") for p in problems)
