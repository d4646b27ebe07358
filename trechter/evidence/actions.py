"""Changes to the evidence: importing CORDIS files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from trechter.actors.models import Organisation
from trechter.agenda.models import Theme
from trechter.analytics import embeddings, names, themes
from trechter.evidence.models import (
    CordisOrganisation,
    ImportedFile,
    ImportRun,
    OrganisationLink,
    Project,
    ProjectEmbedding,
    ProjectTheme,
)
from trechter.versions import stamps

if TYPE_CHECKING:  # pyarrow and polars load only when an import runs, not at web start-up
    from trechter.evidence import loading, reading, records

Progress = Callable[[str, int, int], None]
MAX_REJECTIONS_KEPT = 1_000  # in the stored summary; the counts stay exact


@dataclass
class BatchResult:
    label: str
    status: str  # "written" or "skipped" (its files were imported before, unchanged)
    counts: dict[str, loading.Counts] = field(default_factory=dict)
    rejected: int = 0


@dataclass
class ImportSummary:
    """What an import read, wrote and rejected, per batch and in total."""

    files: list[reading.SourceFile]
    batches: list[BatchResult]
    rejections: list[records.Rejection]

    @property
    def rows_read(self) -> int:
        return sum(source.row_count for source in self.files)

    def totals(self) -> dict[str, loading.Counts]:
        from trechter.evidence import loading

        total: dict[str, loading.Counts] = {}
        for batch in self.batches:
            for table, counts in batch.counts.items():
                total.setdefault(table, loading.Counts()).add(counts)
        return total

    def as_dict(self) -> dict[str, object]:
        return {
            "rows_read": self.rows_read,
            "rejected": len(self.rejections),
            "tables": {table: vars(counts) for table, counts in self.totals().items()},
            "batches": [
                {
                    "label": b.label,
                    "status": b.status,
                    "rejected": b.rejected,
                    **{t: vars(c) for t, c in b.counts.items()},
                }
                for b in self.batches
            ],
            "rejections": [str(rejection) for rejection in self.rejections[:MAX_REJECTIONS_KEPT]],
        }


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def import_cordis(
    *, paths: list[Path], started_by: str = "", force: bool = False, progress: Progress = _no_progress
) -> ImportSummary:
    """Import CORDIS files: all are read and checked first, then written batch by batch.

    Raises reading.FileRefused (nothing written) when a file cannot be read whole. Each batch
    (the organisation lookup, then one framework programme) is one transaction, and its files
    are recorded with it: a re-run after an interruption skips the batches already committed
    (unless `force`) and never leaves part of a batch. Rows that exist are updated in place,
    never duplicated. Records an ImportRun with the summary.
    """
    from trechter.evidence import loading, reading, records

    run = ImportRun.objects.create(status="failed", files=[str(path) for path in paths], started_by=started_by)
    try:
        sources = _read_all(paths, progress)
    except reading.FileRefused as error:
        _finish(run, "refused", {"refused": str(error)})
        raise
    batches = records.plan_batches(sources, loading.known_grants(), loading.known_keys())
    results = []
    for done, batch in enumerate(batches, start=1):
        progress(f"write {batch.label}", done - 1, len(batches))
        results.append(_write(batch, force))
        progress(f"write {batch.label}", done, len(batches))
    summary = ImportSummary(
        files=sources, batches=results, rejections=[r for batch in batches for r in batch.rejections]
    )
    _finish(run, "done", summary.as_dict())
    return summary


def _read_all(paths: list[Path], progress: Progress) -> list[reading.SourceFile]:
    from trechter.evidence import reading

    sources = []
    for done, path in enumerate(paths):
        progress(f"read {path.name}", done, len(paths))
        sources.append(reading.read_file(path))
    progress("read", len(paths), len(paths))
    return sources


def _write(batch: records.Batch, force: bool) -> BatchResult:
    from trechter.evidence import loading

    hashes = {source.sha256 for source in batch.files}
    if not force and ImportedFile.objects.filter(sha256__in=hashes).count() == len(hashes):
        return BatchResult(label=batch.label, status="skipped", rejected=len(batch.rejections))
    with transaction.atomic():
        counts = loading.write_batch(batch)
        for source in batch.files:
            ImportedFile.objects.update_or_create(
                sha256=source.sha256,
                defaults={"name": source.name, "kind": source.kind, "row_count": source.row_count},
            )
        stamps.renew()  # cached public pages show the new evidence
    return BatchResult(label=batch.label, status="written", counts=counts, rejected=len(batch.rejections))


def _finish(run: ImportRun, status: str, summary: dict[str, object]) -> None:
    run.status = status
    run.summary = summary
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "finished_at"])


@transaction.atomic
def decide_link(*, link: OrganisationLink, confirm: bool, by: AbstractBaseUser) -> OrganisationLink:
    """A person confirms or rejects a link between an agenda organisation and a CORDIS record.
    A rejected link stays (so re-running the matcher does not propose it again)."""
    link.status = OrganisationLink.CONFIRMED if confirm else OrganisationLink.REJECTED
    link.decided_by = by  # type: ignore[assignment]
    link.decided_at = timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    stamps.renew()
    return link


@dataclass
class LinkSummary:
    accepted: int = 0
    review: int = 0
    unmatched: int = 0
    kept: int = 0  # decided by a person before; left as they were


def _cordis_records(*, pic_only: bool) -> list[names.Record]:
    rows = CordisOrganisation.objects.all()
    if pic_only:
        rows = rows.exclude(org_id__startswith="sod16:")
    return [
        names.Record(
            org_id=o.org_id,
            name=o.name,
            short_name=o.short_name,
            city=o.city,
            country=o.country,
            activity_type=o.activity_type,
        )
        for o in rows.only("org_id", "name", "short_name", "city", "country", "activity_type")
    ]


@transaction.atomic
def link_organisations() -> LinkSummary:
    """Match every agenda organisation to CORDIS records (analytics.names): a clear match is
    accepted, an uncertain one goes to the review queue. Links a person confirmed or rejected
    are kept as they are; earlier automatic links are replaced."""
    index = names.NameIndex(_cordis_records(pic_only=False))
    by_org_id = {o.org_id: o for o in CordisOrganisation.objects.only("id", "org_id")}
    canonical = dict(CordisOrganisation.objects.filter(same_as__isnull=False).values_list("org_id", "same_as__org_id"))
    decided = set(
        OrganisationLink.objects.filter(status__in=[OrganisationLink.CONFIRMED, OrganisationLink.REJECTED]).values_list(
            "organisation_id", "cordis_id"
        )
    )
    OrganisationLink.objects.filter(status__in=[OrganisationLink.ACCEPTED, OrganisationLink.REVIEW]).delete()
    summary, new = LinkSummary(kept=len(decided)), []
    for organisation in Organisation.objects.prefetch_related("aliases").order_by("key"):
        query = names.Query(
            name=organisation.name,
            aliases=tuple(alias.name for alias in organisation.aliases.all()),
            country=organisation.country,
            city=organisation.city,
        )
        matches = index.candidates(query)
        verdict, best = names.decide(matches)
        if verdict == "none" or best is None:
            summary.unmatched += 1
            continue
        # One candidate per organisation: a hashed FP7 id resolved to a PIC is that PIC.
        seen = {canonical.get(best.org_id, best.org_id)} if verdict == "accept" else set()
        for match in matches:
            accepted = verdict == "accept" and match is best
            if not accepted and (match.score < names.REVIEW or canonical.get(match.org_id, match.org_id) in seen):
                continue
            seen.add(canonical.get(match.org_id, match.org_id))
            cordis = by_org_id[match.org_id]
            if (organisation.pk, cordis.pk) in decided:
                continue
            status = OrganisationLink.ACCEPTED if accepted else OrganisationLink.REVIEW
            summary.accepted += accepted
            summary.review += not accepted
            new.append(
                OrganisationLink(
                    organisation=organisation,
                    cordis=cordis,
                    status=status,
                    score=min(max(match.score, 0.0), 1.0),
                    reasons=list(match.reasons),
                )
            )
    OrganisationLink.objects.bulk_create(new)
    stamps.renew()
    return summary


@transaction.atomic
def resolve_hashed_ids() -> dict[str, int]:
    """Point FP7's hashed organisation ids at the PIC they are the same organisation as, where
    the name, country and city say so clearly (analytics.names); uncertain ones stay apart."""
    index = names.NameIndex(_cordis_records(pic_only=True))
    pics = dict(CordisOrganisation.objects.exclude(org_id__startswith="sod16:").values_list("org_id", "pk"))
    counts = {"accept": 0, "review": 0, "none": 0}
    changed = []
    for hashed in CordisOrganisation.objects.filter(org_id__startswith="sod16:"):
        query = names.Query(name=hashed.name, country=hashed.country, city=hashed.city, short_name=hashed.short_name)
        verdict, best = names.decide(index.candidates(query))
        counts[verdict] += 1
        target = pics[best.org_id] if verdict == "accept" and best is not None else None
        if hashed.same_as_id != target:
            hashed.same_as_id = target
            changed.append(hashed)
    CordisOrganisation.objects.bulk_update(changed, ["same_as"], batch_size=1000)
    if changed:
        stamps.renew()
    return counts


PROJECT_TEXT_FIELDS = (
    "key", "title", "objective", "topic_title", "brief_title", "brief_teaser", "euroscivoc", "programme",
    "legal_basis", "topics", "framework",
)  # fmt: skip


@transaction.atomic
def classify_projects() -> dict[str, int]:
    """Classify every stored project into the agenda's themes (analytics.themes) and replace
    the stored classification. Returns the number of projects per theme key."""
    lexicon = themes.Lexicon.load()
    theme_ids = dict(Theme.objects.values_list("key", "pk"))
    project_ids: dict[str, int] = {}
    texts = []
    for row in Project.objects.values("pk", *PROJECT_TEXT_FIELDS).iterator(chunk_size=5000):
        project_ids[row["key"]] = row["pk"]
        texts.append(themes.ProjectText.from_cordis({**row, "project_key": row["key"]}))
    found = themes.classify_many(texts, lexicon)
    ProjectTheme.objects.all().delete()
    rows = [
        ProjectTheme(project_id=project_ids[key], theme_id=theme_ids[a.theme], score=a.score, basis=list(a.reasons))
        for key, assignments in found.items()
        for a in assignments
        if a.theme in theme_ids
    ]
    ProjectTheme.objects.bulk_create(rows, batch_size=2000)
    stamps.renew()
    key_of = {pk: key for key, pk in theme_ids.items()}
    counts = dict.fromkeys(theme_ids, 0)
    for row in rows:
        counts[key_of[row.theme_id]] += 1
    return counts


EMBED_CHUNK = 512  # projects encoded and written per transaction


@dataclass(frozen=True)
class EmbedSummary:
    encoded: int  # new or changed texts
    kept: int  # unchanged since the last run
    removed: int  # projects whose text is now empty


def embed_projects(progress: Progress = _no_progress) -> EmbedSummary:
    """Encode the text of every project that has none stored or whose text changed
    (analytics.embeddings; ~40 s for the public CORDIS data on two cores, seconds after that).
    Each chunk is written in its own transaction: a stopped run keeps what it finished and
    the next run goes on from there."""
    stored = dict(ProjectEmbedding.objects.values_list("project_id", "fingerprint"))
    wanted: list[tuple[int, str, str]] = []
    empty: list[int] = []
    kept = 0
    for row in Project.objects.values("pk", *embeddings.PROJECT_TEXT_FIELDS).iterator(chunk_size=5000):
        text = embeddings.project_text(row)
        if not embeddings.prepare(text):
            if row["pk"] in stored:
                empty.append(row["pk"])
            continue
        mark = embeddings.fingerprint(text)
        if stored.get(row["pk"]) == mark:
            kept += 1
        else:
            wanted.append((row["pk"], mark, text))
    if empty:
        ProjectEmbedding.objects.filter(project_id__in=empty).delete()
    progress("embed", 0, len(wanted))
    for start in range(0, len(wanted), EMBED_CHUNK):
        chunk = wanted[start : start + EMBED_CHUNK]
        vectors = embeddings.encode([text for _, _, text in chunk])
        with transaction.atomic():
            ProjectEmbedding.objects.filter(project_id__in=[pk for pk, _, _ in chunk]).delete()
            ProjectEmbedding.objects.bulk_create(
                ProjectEmbedding(project_id=pk, fingerprint=mark, vector=embeddings.to_bytes(vector))
                for (pk, mark, _), vector in zip(chunk, vectors, strict=True)
            )
        progress("embed", start + len(chunk), len(wanted))
    if wanted or empty:
        stamps.renew()
    return EmbedSummary(encoded=len(wanted), kept=kept, removed=len(empty))
