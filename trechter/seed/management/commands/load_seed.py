from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.seed import actions
from trechter.seed.dataset import DATA_DIR, SeedError


class Command(BaseCommand):
    help = "Validate the seed data set and load it (in one transaction; safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", type=Path, default=DATA_DIR, help="data set folder (default: built-in)")
        parser.add_argument("--if-empty", action="store_true", help="only load when the database has no agenda")

    def handle(self, *args: Any, folder: Path, if_empty: bool, **options: Any) -> None:
        from trechter.agenda.models import Agenda

        if if_empty and Agenda.objects.exists():
            self.stdout.write("An agenda is already loaded; nothing to do.")
            return
        try:
            result = actions.load_seed(folder=folder)
        except SeedError as error:
            raise CommandError(str(error)) from error
        for label, bucket in (("created", result.created), ("updated", result.updated), ("deleted", result.deleted)):
            if bucket:
                detail = ", ".join(f"{n} {name}" for name, n in sorted(bucket.items()))
                self.stdout.write(f"{label}: {detail}")
        if not result.changed:
            self.stdout.write("The database already holds this data set; nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS("Seed data set loaded."))
