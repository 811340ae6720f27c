from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        from signin import checks, receivers  # noqa: F401 - registers the system check and signal receivers
