"""The evidence beside each criterion for a candidate: the EU projects its subject covers
(a discovered topic's projects, a theme's, or those of two or more of a cross-theme topic's
themes) read into analytics.indicators."""

from __future__ import annotations

from collections import Counter, defaultdict

from trechter.analytics import indicators
from trechter.assessment.models import Candidate
from trechter.evidence.models import Participation, ProjectTheme
from trechter.evidence.queries import ROLE_OF_ACTIVITY
from trechter.topics import queries as topic_queries
from trechter.topics.models import TopicDocument

# Which figure stands beside which criterion of Bijlage 3 (by the criteria's keys in the seed).
EVIDENCE_OF = {
    "both-sides-active": "sides",
    "both-sides-golden-triangle": "helix",
    "both-sides-business-startups": "companies",
    "business-involvement": "companies",
    "business-involvement-starters": "companies",
    "transdisciplinary": "themes",
    "eu-programme-potential": "funding",
    "complementarity": "complementarity",
}


def project_ids(candidate: Candidate) -> list[int]:
    """The stored projects the candidate's subject covers (empty for a title alone)."""
    if candidate.topic_key:
        run = topic_queries.latest_run()
        if run is None:
            return []
        found = TopicDocument.objects.filter(topic__run=run, topic__key=candidate.topic_key, project__isnull=False)
        return sorted(found.values_list("project_id", flat=True))
    if candidate.theme_id:
        return sorted(ProjectTheme.objects.filter(theme_id=candidate.theme_id).values_list("project_id", flat=True))
    if candidate.cross_theme_topic_id:
        theme_ids = list(candidate.cross_theme_topic.themes.values_list("pk", flat=True))  # type: ignore[union-attr]
        counts = Counter(ProjectTheme.objects.filter(theme_id__in=theme_ids).values_list("project_id", flat=True))
        return sorted(p for p, n in counts.items() if n >= 2)
    return []


def of_candidate(candidate: Candidate) -> indicators.Indicators | None:
    """The indicators of the candidate's projects, or None when it covers none."""
    ids = project_ids(candidate)
    if not ids:
        return None
    themes: dict[int, set[str]] = defaultdict(set)
    rows = []
    for start in range(0, len(ids), 5000):  # SQLite's limit on query parameters
        chunk = ids[start : start + 5000]
        for project_id, theme_key in ProjectTheme.objects.filter(project_id__in=chunk).values_list(
            "project_id", "theme__key"
        ):
            themes[project_id].add(theme_key)
        rows += list(
            Participation.objects.filter(project_id__in=chunk).values_list(
                "project_id", "project__key", "organisation__org_id", "organisation__side",
                "organisation__activity_type", "organisation__is_sme", "project__funding_scheme",
                "project__ec_max_contribution", "ec_contribution",
            )
        )  # fmt: skip
    return indicators.compute(
        indicators.Row(
            project=key, organisation=org, side=side, role=ROLE_OF_ACTIVITY.get(activity or "", "other"),
            is_sme=sme, funding_scheme=scheme or "", themes=frozenset(themes[pid]),
            project_contribution=total, contribution=contribution,
        )
        for pid, key, org, side, activity, sme, scheme, total, contribution in rows
    )  # fmt: skip
