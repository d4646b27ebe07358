import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from trechter.agenda.models import Proposal
from trechter.analytics import eligibility
from trechter.cli import iso_day
from trechter.funding import advice

MARKS = {eligibility.FITS: "+", eligibility.UNKNOWN: "?", eligibility.FAILS: "-"}


class Command(BaseCommand):
    help = "Which funding instrument fits a proposal: every instrument with rules, what fails and what would fit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("proposal", help="the proposal's key")
        parser.add_argument("--lang", choices=["nl", "en"], default="nl")
        parser.add_argument(
            "--on", type=iso_day, default=None, help="the day of the advice (YYYY-MM-DD; default today)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON (as the API) instead of text")

    def handle(self, *args: Any, proposal: str, lang: str, on: date | None, json: bool, **options: Any) -> None:
        found = Proposal.objects.prefetch_related("parties__organisation", "instruments").filter(key=proposal).first()
        if found is None:
            raise CommandError(f"proposal: no proposal with key {proposal!r}")
        with translation.override(lang):
            advised = advice.advise(found, on=on)
            if json:
                self.stdout.write(_json([advice.as_data(a) for a in advised]))
                return
            for item in advised:
                self.stdout.write(_text(item))


def _text(item: advice.Advice) -> str:
    status = {eligibility.FITS: _("fits"), eligibility.UNKNOWN: _("unknown"), eligibility.FAILS: _("does not fit")}[
        item.status
    ]
    name = (translation.get_language() == "en" and item.instrument.name_en) or item.instrument.name
    notes = (f" ({_('named in the proposal')})" if item.named else "") + (
        f" ({_('fits once the organisations to involve join')})" if item.fits_once_involved else ""
    )
    lines = [f"{MARKS[item.status]} {name} — {status}{notes}"]
    for line in item.problems:
        changes = "".join(f" → {c.text}" + (f" ({', '.join(c.involve)})" if c.involve else "") for c in line.changes)
        lines.append(f"    {MARKS[line.status]} {line.text}{changes}")
    if item.status != eligibility.FAILS:
        lines.extend(f"    · {line.text}" for line in item.conditions)
    return "\n".join(lines)


def _json(data: list[dict[str, Any]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
