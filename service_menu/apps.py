from django.apps import AppConfig


class ServiceMenuConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "service_menu"
    verbose_name = "Service menus"
