"""The `cycles` app: satisfaction and cycles of inquiry, one label for both halves."""

from django.apps import AppConfig


class CyclesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cycles"
    verbose_name = "Satisfaction and cycles of inquiry"

    def ready(self) -> None:
        # Connects the receivers that drop a closed survey's summary when its answers change.
        from cycles.satisfaction import summaries  # noqa: F401
