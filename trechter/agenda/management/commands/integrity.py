from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trechter.agenda import queries


class Command(BaseCommand):
    help = "Integrity report: invalid TRL ranges, one-sided TRL 4–6 projects, missing sources and sides."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strict", action="store_true", help="exit with status 1 when anything is found")

    def handle(self, *args: Any, strict: bool, **options: Any) -> None:
        report = queries.integrity_report()
        for name, items in report.checks.items():
            mark = self.style.SUCCESS("ok  ") if not items else self.style.WARNING(f"{len(items):>4}")
            self.stdout.write(f"{mark} {name}")
            for item in items:
                self.stdout.write(f"       - {item}")
        self.stdout.write(f"{report.problem_count} finding(s).")
        if strict and report.problem_count:
            raise CommandError(f"{report.problem_count} integrity finding(s)")
