"""The `trechter` command line: our own commands, and every Django management command.

trechter run [ADDR:PORT]     migrate, load the seed if empty, serve (default 127.0.0.1:8000)
trechter run --production [ADDR:PORT] [--workers N] [--threads N]
                             the same, then collectstatic and gunicorn (needs TRECHTER_SECRET_KEY)
trechter load-seed           validate and load the seed data set (idempotent)
trechter agenda [--lang en]  print the overview table of section 2.1
trechter check [--strict]    integrity report of the stored agenda
trechter role grant|revoke|list USER ROLE [--theme KEY]
                             roles: member, theme_lead (with --theme), core_group, jury
trechter demo-users --password PW   one account per role (development only)
trechter report --format html|pdf|docx [--lang nl|en] [--version published|draft|N] [--output PATH]
                             the agenda document, generated from the data
trechter export --format json|xlsx|csv|schema|yaml [--sheet NAME] [--theme KEY] [--output PATH]
                             the published agenda as data (a theme's XLSX template with --theme)
trechter import PATH --user USER [--theme KEY] [--dry-run]
                             an XLSX, CSV or JSON file into drafts (all checked first, all or nothing)
trechter import-cordis PATH… [--force]
                             CORDIS project/participation/organisation files (checked whole first,
                             stored per framework programme; re-runs update, never duplicate)
trechter discover-topics [--no-progress]
                             topics in the agenda's and the imported projects' texts; cross-theme
                             topics ranked (earlier topic ids kept where topics match)
trechter funding-advice KEY [--lang nl|en] [--on DATE] [--json]
                             which funding instrument fits a proposal, and what would make one fit
trechter fof-reminders [--on DATE]
                             mail the companies whose FoF label lapses soon (once per label)
trechter token create USER [--name N] [--days D] | list [USER] | revoke PREFIX
                             personal API tokens (shown once; stored hashed)
trechter django-check        Django's own system check
trechter <django command>    e.g. migrate, createsuperuser, shell
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

ALIASES = {
    "run": "serve",
    "load-seed": "load_seed",
    "agenda": "agenda",
    "check": "integrity",
    "django-check": "check",
    "demo-users": "demo_users",
    "import": "import_data",
    "import-cordis": "import_cordis",
    "eval-recommend": "eval_recommend",
    "train-recommender": "train_recommender",
    "discover-topics": "discover_topics",
    "funding-advice": "funding_advice",
    "fof-reminders": "fof_reminders",
}


def iso_day(value: str) -> date:
    """A command's date option (YYYY-MM-DD), refused by argparse with the value named."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trechter.settings")
    from django.core.management import execute_from_command_line

    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return
    command = ALIASES.get(args[0], args[0])
    execute_from_command_line(["trechter", command, *args[1:]])


if __name__ == "__main__":
    main()
