"""`trechter discover-topics`: topics in the agenda's and the imported projects' texts."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from trechter.topics import actions
from trechter.topics.models import TopicDocument


class Command(BaseCommand):
    help = "Discover topics in the agenda's texts and the imported EU project texts; keeps earlier topic ids."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, no_progress: bool, **options: Any) -> None:
        with tqdm(disable=no_progress, unit="topic", file=self.stderr._out) as bar:

            def progress(step: str, done: int, total: int) -> None:
                bar.set_description(step)
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                result = actions.discover_topics(by=f"cli:{getpass.getuser()}", progress=progress)
            except actions.NothingToDiscover as error:
                raise CommandError(str(error)) from None
        run = result.run
        kinds = dict(TopicDocument.KINDS)
        self.stdout.write(
            _("%(topics)s topics (%(cross)s cross-theme) in %(documents)s texts: %(kinds)s")
            % {
                "topics": run.topic_count,
                "cross": run.cross_theme_count,
                "documents": run.document_count,
                "kinds": ", ".join(f"{kinds.get(k, k)} {n}" for k, n in run.summary.get("kinds", {}).items()),
            }
        )
        if result.previous:
            self.stdout.write(
                _("%(kept)s of %(previous)s earlier topic ids kept")
                % {"kept": result.kept, "previous": result.previous}
            )
        for topic in run.topics.filter(is_cross_theme=True).order_by("cross_theme_rank")[:10]:
            shares = ", ".join(f"{k} {v:.0%}" for k, v in sorted(topic.theme_shares.items(), key=lambda kv: -kv[1]))
            self.stdout.write(f"  {topic.cross_theme_rank:>2}. {topic.key}  {topic.label_en}  ({shares})")
