"""What this session has shown about its person, kept in the session itself.

Two marks, both tied to the person they were set for:

- *second factor shown*: an authenticator or recovery code at sign-in (or when asked again),
  a freshly set-up authenticator, or a single sign-on, which leaves the second factor to
  the district's provider. The admin requires it of every session.
- *two-factor setup due*: a person who must use two-factor sign-in signed in with their
  password alone, having none set up; until they set one up, every page sends them there.

Sessions made without a sign-in (tests' ``force_login``) carry neither mark.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

SECOND_FACTOR_KEY = "signin_second_factor"
SETUP_DUE_KEY = "signin_two_factor_setup_due"


def _person_key(person: Any) -> str:
    return str(person.pk)


def mark_second_factor(session: SessionBase, person: Any) -> None:
    session[SECOND_FACTOR_KEY] = _person_key(person)
    session.pop(SETUP_DUE_KEY, None)


def has_second_factor(session: SessionBase, person: Any) -> bool:
    return session.get(SECOND_FACTOR_KEY) == _person_key(person)


def mark_setup_due(session: SessionBase, person: Any) -> None:
    session[SETUP_DUE_KEY] = _person_key(person)


def setup_due(session: SessionBase, person: Any) -> bool:
    return session.get(SETUP_DUE_KEY) == _person_key(person)
