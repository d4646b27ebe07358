"""The imported EU projects as analytics.recommend reads them: plain data from the database."""

from __future__ import annotations

from collections import defaultdict

from trechter.analytics import embeddings, recommend
from trechter.analytics.evaluation import FRAMEWORK_YEARS, Dataset
from trechter.evidence.models import CordisOrganisation, Participation, Project, ProjectEmbedding, ProjectTheme


def dataset() -> Dataset:
    """Every stored project and participation, and the stored embeddings of project texts; an
    organisation is its canonical record (a hashed FP7 id resolved to a PIC counts as that
    PIC) with that record's side."""
    themes: dict[int, list[str]] = defaultdict(list)
    for project_id, key in ProjectTheme.objects.values_list("project_id", "theme__key").order_by("theme__key"):
        themes[project_id].append(key)
    projects = {}
    keys: dict[int, str] = {}
    codes = ("programme", "topics", "legal_basis", "funding_scheme")
    fields = ("pk", "key", "framework", "year", *codes, *embeddings.PROJECT_TEXT_FIELDS)
    for row in Project.objects.values(*fields).iterator(chunk_size=5000):
        keys[row["pk"]] = row["key"]
        projects[row["key"]] = recommend.Project(
            key=row["key"],
            year=row["year"] or FRAMEWORK_YEARS.get(row["framework"]),
            programme=_parts(row["programme"]),
            codes=(*_parts(row["topics"]), *_parts(row["legal_basis"]), *_parts(row["funding_scheme"])),
            text=embeddings.project_text(row),
            themes=tuple(themes.get(row["pk"], ())),
        )
    canonical = {
        pk: (org_id, side, activity)
        for pk, org_id, side, activity in CordisOrganisation.objects.filter(same_as=None).values_list(
            "pk", "org_id", "side", "activity_type"
        )
    }
    alias = dict(CordisOrganisation.objects.exclude(same_as=None).values_list("pk", "same_as_id"))
    members = set()
    for project_id, organisation_id, activity in Participation.objects.values_list(
        "project_id", "organisation_id", "activity_type"
    ).iterator(chunk_size=20000):
        org_id, side, org_activity = canonical[alias.get(organisation_id, organisation_id)]
        members.add(recommend.Member(keys[project_id], org_id, side, activity or org_activity or "OTH"))
    vectors = {
        keys[pk]: embeddings.from_bytes(vector)
        for pk, vector in ProjectEmbedding.objects.values_list("project_id", "vector").iterator(chunk_size=5000)
    }
    return Dataset(
        projects, sorted(members, key=lambda m: (m.project, m.organisation, m.side, m.activity_type)), vectors
    )


def _parts(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(";") if part.strip())
