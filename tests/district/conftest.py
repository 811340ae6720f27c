"""The read API's world serves the full export's tests too."""

from tests.api.fixtures import world  # noqa: F401 - a fixture, found by pytest under this name
