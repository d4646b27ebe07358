"""`trechter import PATH --user USERNAME [--theme KEY] [--dry-run]`: an XLSX, CSV or JSON file
into drafts of the open version, as USERNAME (whose roles decide what may change)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from trechter.agenda.models import Theme
from trechter.exchange import importer, reading
from trechter.exchange.parsing import Problem


class Command(BaseCommand):
    help = "Import an XLSX, CSV or JSON file into drafts: everything is checked first; nothing is saved on errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the .xlsx, .csv or .json file")
        parser.add_argument("--user", required=True, help="the username the drafts are saved as")
        parser.add_argument("--theme", default="", help="a theme key: every row must belong to that theme")
        parser.add_argument("--dry-run", action="store_true", help="check and show the changes; save nothing")
        parser.add_argument("--lang", choices=["nl", "en"], default="en", help="language of the messages")

    def handle(self, *args: Any, path: str, user: str, theme: str, dry_run: bool, lang: str, **options: Any) -> None:
        with translation.override(lang):
            self._import(Path(path), user, theme, dry_run)

    def _import(self, path: Path, username: str, theme_key: str, dry_run: bool) -> None:
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(_("No active user %(name)s.") % {"name": username})
        theme = None
        if theme_key:
            theme = Theme.objects.filter(key=theme_key).first()
            if theme is None:
                raise CommandError(_("Unknown theme %(key)s.") % {"key": theme_key})
        try:
            if path.stat().st_size > settings.IMPORT_MAX_BYTES:
                raise reading.FileRefused(
                    _("The file is larger than %(limit)s bytes.") % {"limit": settings.IMPORT_MAX_BYTES}
                )
            upload = reading.read_upload(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(str(error)) from None
        except reading.FileRefused as error:
            raise CommandError(str(error)) from None
        plan = importer.plan_import(upload, user=account, theme=theme)
        for notice in plan.notices:
            self.stdout.write(_("notice: %(problem)s") % {"problem": describe(notice)})
        if not plan.ok:
            for problem in plan.errors:
                self.stderr.write(_("error: %(problem)s") % {"problem": describe(problem)})
            raise CommandError(_("%(n)s errors; nothing was saved.") % {"n": len(plan.errors)})
        for row in importer.describe_changes(plan):
            self.stdout.write(f"{row['operation']} {row['kind']} {row['key']}: {row['title']}")
            for label, old, new in row["fields"]:
                self.stdout.write(f"    {label}: {_short(old)} → {_short(new)}")
        self.stdout.write(summary_line(plan))
        if dry_run or plan.is_empty:
            self.stdout.write(_("Nothing was saved.") if dry_run or not plan.is_empty else _("Nothing to save."))
            return
        try:
            result = importer.apply_import(plan, user=account)
        except importer.ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(_("error: %(problem)s") % {"problem": describe(problem)})
            raise CommandError(_("Nothing was saved.")) from None
        self.stdout.write(
            _("Saved %(drafts)s proposal drafts and %(themes)s theme drafts in the open version.")
            % {"drafts": result.drafts, "themes": result.theme_drafts}
        )


def describe(problem: Problem) -> str:
    """ "proposals, row 3, column J (trl): message (suggestions: …)"."""
    where = [problem.sheet] if problem.sheet else []
    if problem.path:
        where.append(problem.path)
    if problem.row is not None:
        where.append(_("row %(n)s") % {"n": problem.row})
    if problem.column:
        where.append(_("column %(letter)s (%(header)s)") % {"letter": problem.column, "header": problem.header})
    elif problem.header:
        where.append(_("column %(header)s") % {"header": problem.header})
    text = f"{', '.join(where)}: {problem.message}" if where else problem.message
    return text


def summary_line(plan: importer.ImportPlan) -> str:
    s = plan.summary
    return _(
        "Proposals changed: %(changed)s, added: %(added)s, removed: %(removed)s; parties changed: %(parties)s; "
        "themes changed: %(themes)s; funnel answers changed: %(answers)s; notices: %(notices)s."
    ) % {
        "changed": s.proposals_changed,
        "added": s.proposals_added,
        "removed": s.proposals_removed,
        "parties": s.parties_changed,
        "themes": s.themes_changed,
        "answers": s.answers_changed,
        "notices": s.notices,
    }


def _short(value: str, width: int = 80) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= width else value[: width - 1] + "…"
