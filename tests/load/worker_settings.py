"""Settings of the worker processes the fault tests start: the tests' own, with the database
queue and a real SMTP server on the port the test opened (FAULT_TEST_SMTP_PORT)."""

import os

from config.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": int(os.environ.get("FAULT_TEST_SMTP_PORT", "25")),
            "use_tls": False,
            "timeout": 10,
        },
    }
}
NOTICE_RETRY_SECONDS = float(os.environ.get("NOTICE_RETRY_SECONDS", "0.2"))
NOTICE_MAX_ATTEMPTS = 1000
