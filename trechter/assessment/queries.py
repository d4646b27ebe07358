"""Reads for the criteria list page: the Bijlage 3 tree and the assessments against it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from trechter.assessment.models import CriteriaAssessment, Criterion, CriterionFinding


@dataclass
class Node:
    criterion: Criterion
    depth: int
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class FindingRow:
    criterion: Criterion
    depth: int
    finding: CriterionFinding | None


@dataclass(frozen=True)
class AssessmentView:
    assessment: CriteriaAssessment
    rows: list[FindingRow]


# Three queries in all, whatever the number of criteria, assessments or findings.
def criteria_with_assessments() -> tuple[list[Node], list[AssessmentView]]:
    """The criteria as a forest in the list's order, and every assessment with one row per
    criterion in that order (the finding, or None where the assessment says nothing)."""
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.order_by("order", "key"):
        children[criterion.parent_id].append(criterion)

    def grow(parent_id: int | None, depth: int) -> list[Node]:
        return [Node(c, depth, grow(c.pk, depth + 1)) for c in children[parent_id]]

    tree = grow(None, 0)
    flat: list[Node] = []

    def walk(nodes: list[Node]) -> None:
        for node in nodes:
            flat.append(node)
            walk(node.children)

    walk(tree)
    assessments = CriteriaAssessment.objects.select_related("subject_theme", "subject_topic").prefetch_related(
        "findings"
    )
    views = []
    for assessment in assessments.order_by("assessed_on", "key"):
        by_criterion = {finding.criterion_id: finding for finding in assessment.findings.all()}
        views.append(
            AssessmentView(
                assessment, [FindingRow(n.criterion, n.depth, by_criterion.get(n.criterion.pk)) for n in flat]
            )
        )
    return tree, views
