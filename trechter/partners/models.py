"""The learnt weights of partner recommendation (analytics.recommend), one row per training run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecommenderWeights(models.Model):
    """Feature weights learnt on a temporal validation year of the imported EU projects."""

    trained_at = models.DateTimeField(_("trained at"), auto_now_add=True)
    validation_year = models.PositiveSmallIntegerField(_("validation year"))
    query_count = models.PositiveIntegerField(_("validation queries"))
    names = models.JSONField(_("features"))
    warm = models.JSONField(_("weights with known partners"))
    cold = models.JSONField(_("weights without known partners"))
    foreign = models.JSONField(_("weights without known partners for a text not in English"), default=list)

    class Meta:
        verbose_name = _("recommender weights")
        verbose_name_plural = _("recommender weights")
        ordering = ["-trained_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} (validation {self.validation_year})"
