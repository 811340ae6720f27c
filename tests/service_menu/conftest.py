"""Service-menu fixtures live in tests/conftest.py so browser tests can use them too."""

from tests.conftest import TODAY, Menus

__all__ = ["TODAY", "Menus"]
