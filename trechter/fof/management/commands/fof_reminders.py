from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trechter.cli import iso_day
from trechter.fof import actions


class Command(BaseCommand):
    help = "Remind the companies whose FoF label lapses soon to be re-assessed (once per label)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=iso_day, default=None, help="the day to check (YYYY-MM-DD; default today)")

    def handle(self, *args: Any, on: date | None, **options: Any) -> None:
        sent = actions.send_reminders(on=on)
        for application, addresses in sent:
            to = ", ".join(addresses) or "no address on record"
            self.stdout.write(f"{application.organisation.name}: label until {application.label_valid_until} → {to}")
        self.stdout.write(f"{len(sent)} reminder(s).")
