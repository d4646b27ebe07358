"""The published agenda as plain JSON data: what a version stores and what diffs compare."""

from __future__ import annotations

from typing import Any

from trechter.agenda.models import Agenda, FunnelAnswer, Party, Proposal, ProposalInstrument, Theme

# The proposal fields people edit through drafts; snapshots and diffs use the same list.
PROPOSAL_FIELDS = (
    "kind",
    "title_nl",
    "title_en",
    "summary_nl",
    "summary_en",
    "status",
    "trl_from",
    "trl_to",
    "value_chain",
    "budget_per_year_min_eur",
    "budget_per_year_max_eur",
    "budget_years",
    "budget_total_min_eur",
    "budget_total_max_eur",
    "duration_months",
    "planned_start",
)
THEME_FIELDS = ("name_nl", "name_en", "aim_nl", "aim_en")
SNAPSHOT_FORMAT = 1


def proposal_values(proposal: Proposal) -> dict[str, Any]:
    """The editable fields of one proposal as JSON-ready values."""
    return {name: getattr(proposal, name) for name in PROPOSAL_FIELDS}


def theme_values(theme: Theme) -> dict[str, Any]:
    """The texts of a theme that drafts can change."""
    return {name: getattr(theme, name) for name in THEME_FIELDS}


def answer_values(theme: Theme) -> list[dict[str, str]]:
    """The theme's funnel-template answers, in question, band and answer order."""
    answers = FunnelAnswer.objects.filter(theme=theme).select_related("question")
    return [
        {"question": a.question.key, "band": a.band, "text_nl": a.text_nl, "text_en": a.text_en}
        for a in answers.order_by("question__order", "band", "order", "pk")
    ]


def theme_draft_values(theme: Theme) -> dict[str, Any]:
    """Everything a theme draft can change: its texts and its funnel answers."""
    return {**theme_values(theme), "answers": answer_values(theme)}


def flat_answers(answers: list[dict[str, str]]) -> dict[str, str]:
    """Answers as one field each, "answer <question> <band> <n> (nl|en)" → text, so a diff
    shows the one answer that changed rather than the whole list."""
    flat: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = {}
    for answer in answers:
        slot = (answer["question"], answer["band"])
        counts[slot] = counts.get(slot, 0) + 1
        for language in ("nl", "en"):
            if answer.get(f"text_{language}"):
                flat[f"answer {slot[0]} {slot[1]} {counts[slot]} ({language})"] = answer[f"text_{language}"]
    return flat


def party_values(proposal: Proposal) -> list[dict[str, str]]:
    """The proposal's parties as drafts keep them: organisation key, role, note; by key."""
    rows = proposal.parties.select_related("organisation").order_by("organisation__key")
    return [{"organisation": r.organisation.key, "role": r.role, "note": r.note} for r in rows]


def draft_values(proposal: Proposal) -> dict[str, Any]:
    """Everything a draft of `proposal` can change: its fields and its parties."""
    return {**proposal_values(proposal), "parties": party_values(proposal)}


def take_snapshot(agenda: Agenda) -> dict[str, Any]:
    """Themes and proposals of `agenda` with their parties and instruments, keyed by key.

    Five queries whatever the size of the agenda. Snapshots before funnel answers were
    added to them simply lack the "answer …" fields; a diff shows those as added."""
    themes = {t.key: {name: getattr(t, name) for name in THEME_FIELDS} for t in Theme.objects.filter(agenda=agenda)}
    answers = FunnelAnswer.objects.filter(theme__agenda=agenda).select_related("question", "theme")
    by_theme: dict[str, list[dict[str, str]]] = {}
    for a in answers.order_by("question__order", "band", "order", "pk"):
        row = {"question": a.question.key, "band": a.band, "text_nl": a.text_nl, "text_en": a.text_en}
        by_theme.setdefault(a.theme.key, []).append(row)
    for key, rows in by_theme.items():
        themes[key].update(flat_answers(rows))
    proposals: dict[str, dict[str, Any]] = {}
    for p in Proposal.objects.filter(theme__agenda=agenda).select_related("theme", "parent"):
        proposals[p.key] = {
            "theme": p.theme.key,
            "parent": p.parent.key if p.parent else None,
            **proposal_values(p),
            "parties": [],
            "instruments": [],
        }
    parties = Party.objects.filter(proposal__theme__agenda=agenda).values_list(
        "proposal__key", "organisation__key", "role"
    )
    for proposal_key, organisation_key, role in parties.order_by("organisation__key"):
        proposals[proposal_key]["parties"].append(f"{organisation_key} ({role})")
    instruments = ProposalInstrument.objects.filter(proposal__theme__agenda=agenda).values_list(
        "proposal__key", "instrument__key", "state"
    )
    for proposal_key, instrument_key, state in instruments.order_by("instrument__key"):
        proposals[proposal_key]["instruments"].append(f"{instrument_key} ({state})")
    return {"format": SNAPSHOT_FORMAT, "agenda": agenda.key, "themes": themes, "proposals": proposals}
