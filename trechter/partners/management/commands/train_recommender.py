"""`trechter train-recommender`: learn the partner recommendation weights from the imported projects."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trechter.partners import actions


class Command(BaseCommand):
    help = "Learn the weights of partner recommendation on the last year of the imported EU projects."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            weights = actions.train_recommender()
        except actions.NotEnoughData as error:
            raise CommandError(f"Nothing to learn from: {error}") from None
        self.stdout.write(f"Weights learnt on {weights.query_count} queries of {weights.validation_year}.")
