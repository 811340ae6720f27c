from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notices.mailers import SwitchableBackend


@pytest.fixture(autouse=True)
def _mail_server_up() -> Iterator[None]:
    SwitchableBackend.down = False
    SwitchableBackend.connections = 0
    yield
    SwitchableBackend.down = False
