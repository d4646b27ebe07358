from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "trechter.topics"
    verbose_name = "Topics"
    default_auto_field = "django.db.models.BigAutoField"
