"""Search index maintenance: the index is a copy of the published agenda, rebuilt whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import translation

from trechter import vocabulary
from trechter.actors.models import Organisation
from trechter.agenda.models import Activity, Party, Proposal, Theme, ThemeActor, ThemeLead
from trechter.search.backends import MARK_END, MARK_START, backend
from trechter.search.models import SearchDocument

ACTIVITY_TITLE_WORDS = 12


@transaction.atomic
def rebuild_index() -> int:
    """Replace the whole search index by the content tables; returns the number of documents.

    The content tables hold the latest published agenda (drafts live in trechter.versions
    and are not read here), so the index never shows unpublished text. One transaction:
    a search running meanwhile sees the old index or the new one, never half of each.
    """
    documents = [
        *_theme_documents(),
        *_proposal_documents(),
        *_organisation_documents(),
        *_activity_documents(),
    ]
    SearchDocument.objects.all().delete()
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    backend().fill()
    return len(documents)


def _text(*parts: str) -> str:
    """Non-empty `parts` on lines of their own, without the characters that mark matches."""
    joined = "\n".join(part.strip() for part in parts if part and part.strip())
    return joined.replace(MARK_START, "").replace(MARK_END, "")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _theme_documents() -> list[SearchDocument]:
    themes = Theme.objects.prefetch_related("sub_priorities").order_by("order")
    return [
        SearchDocument(
            kind="theme",
            key=theme.key,
            title_nl=_text(theme.name_nl),
            title_en=_text(theme.name_en),
            body_nl=_text(theme.aim_nl, *(s.title_nl for s in theme.sub_priorities.all())),
            body_en=_text(theme.aim_en, *(s.title_en for s in theme.sub_priorities.all())),
            theme_keys=[theme.key],
            url_name="theme",
            url_args=[theme.key],
        )
        for theme in themes
    ]


def _proposal_documents() -> list[SearchDocument]:
    proposals = Proposal.objects.select_related("theme").prefetch_related(
        "other_themes", "parties__organisation", "instruments__instrument"
    )
    documents = []
    for proposal in proposals:
        organisations = [party.organisation for party in proposal.parties.all()]
        instruments = [link.instrument for link in proposal.instruments.all()]
        documents.append(
            SearchDocument(
                kind="proposal",
                key=proposal.key,
                title_nl=_text(proposal.title_nl),
                title_en=_text(proposal.title_en),
                # Names are language-neutral: they go with the Dutch text (see SearchDocument).
                body_nl=_text(
                    proposal.summary_nl,
                    proposal.overview_label_nl if proposal.overview_label_nl != proposal.title_nl else "",
                    ", ".join(o.name for o in organisations),
                    ", ".join(i.acronym or i.name for i in instruments),
                ),
                body_en=_text(proposal.summary_en),
                theme_keys=_unique([proposal.theme.key, *(t.key for t in proposal.other_themes.all())]),
                sides=sorted({o.side for o in organisations}),
                instrument_keys=_unique(i.key for i in instruments),
                trl_from=proposal.trl_from,
                trl_to=proposal.trl_to,
                proposal_kind=proposal.kind,
                status=proposal.status,
                url_name="proposal",
                url_args=[proposal.key],
            )
        )
    return documents


def _organisation_themes() -> dict[int, list[str]]:
    """Organisation id → keys of the themes it takes part in: as a party to a proposal of
    the theme (or shared with it), as an actor, lead or in an activity of the theme."""
    pairs = [
        *Party.objects.values_list("organisation_id", "proposal__theme__key"),
        *Party.objects.filter(proposal__other_themes__isnull=False).values_list(
            "organisation_id", "proposal__other_themes__key"
        ),
        *ThemeActor.objects.values_list("organisation_id", "theme__key"),
        *ThemeLead.objects.filter(organisation__isnull=False).values_list("organisation_id", "theme__key"),
        *Activity.organisations.through.objects.values_list("organisation_id", "activity__theme__key"),
    ]
    themes: dict[int, set[str]] = defaultdict(set)
    for organisation_id, theme_key in pairs:
        themes[organisation_id].add(theme_key)
    order = {
        key: position for position, key in enumerate(Theme.objects.order_by("order").values_list("key", flat=True))
    }
    return {org: sorted(keys, key=lambda key: order.get(key, len(order))) for org, keys in themes.items()}


def _organisation_documents() -> list[SearchDocument]:
    themes = _organisation_themes()
    types = dict(vocabulary.ORGANISATION_TYPES)
    documents = []
    for organisation in Organisation.objects.prefetch_related("aliases"):
        aliases = [alias.name for alias in organisation.aliases.all()]
        with translation.override("nl"):
            type_nl = str(types.get(organisation.type, ""))
        with translation.override("en"):
            type_en = str(types.get(organisation.type, ""))
        documents.append(
            SearchDocument(
                kind="organisation",
                key=organisation.key,
                title_nl=_text(organisation.name),
                body_nl=_text(" · ".join(filter(None, [type_nl, organisation.city])), ", ".join(aliases)),
                body_en=_text(
                    " · ".join(filter(None, [type_en, organisation.city])), ", ".join(aliases), organisation.note
                ),
                theme_keys=themes.get(organisation.id, []),
                sides=[organisation.side],
                url_name="organisation",
                url_args=[organisation.key],
            )
        )
    return documents


def _activity_documents() -> list[SearchDocument]:
    activities = Activity.objects.select_related("theme").prefetch_related("organisations")
    documents = []
    for activity in activities:
        title_nl, rest_nl = _excerpt(activity.text_nl)
        title_en, rest_en = _excerpt(activity.text_en)
        documents.append(
            SearchDocument(
                kind="activity",
                key=activity.key,
                title_nl=_text(title_nl),
                title_en=_text(title_en),
                body_nl=_text(rest_nl, ", ".join(o.name for o in activity.organisations.all())),
                body_en=_text(rest_en),
                theme_keys=[activity.theme.key],
                # An activity of both sides is an activity of each side.
                sides=["NL", "VL"] if activity.side == "BOTH" else [activity.side],
                trl_from=activity.trl_from,
                trl_to=activity.trl_to,
                url_name="theme",  # activities have no page of their own
                url_args=[activity.theme.key],
            )
        )
    return documents


def _excerpt(text: str) -> tuple[str, str]:
    """An activity's first words as its title and the rest as its body, so that no word is
    indexed twice (a title counts ten times a body word in the ranking)."""
    words = text.split()
    if len(words) <= ACTIVITY_TITLE_WORDS:
        return text, ""
    return " ".join(words[:ACTIVITY_TITLE_WORDS]) + "…", "…" + " ".join(words[ACTIVITY_TITLE_WORDS:])
