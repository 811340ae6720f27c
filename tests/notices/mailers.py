"""A mail server the tests can switch off and on, and that counts its connections."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class SwitchableBackend(EmailBackend):
    """The in-memory outbox, behind a server that refuses connections while ``down``."""

    down: ClassVar[bool] = False
    connections: ClassVar[int] = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open = False

    def open(self) -> bool:
        if SwitchableBackend.down:
            raise ConnectionRefusedError(111, "Connection refused")
        if not self._open:
            SwitchableBackend.connections += 1
            self._open = True
            return True
        return False

    def close(self) -> None:
        self._open = False

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if SwitchableBackend.down:
            raise ConnectionRefusedError(111, "Connection refused")
        self.open()
        return super().send_messages(messages)
