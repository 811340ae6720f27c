from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Documents built in the background"

    def ready(self) -> None:
        # Each app that offers a long document registers its kind in its own documents.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("documents")
