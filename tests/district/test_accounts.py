"""Sign-in, lockout, password reset and session expiry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from district.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_lands_on_home(client: Client, principal: User) -> None:
    response = client.post(
        reverse("login"), {"username": "principal@district.test", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert 'data-testid="home-principal"' in response.content.decode()


def test_wrong_password_says_so_without_saying_which_part(client: Client, principal: User) -> None:
    response = client.post(reverse("login"), {"username": "principal@district.test", "password": "wrong"})
    assert response.status_code == 200
    assert "That email and password do not match" in response.content.decode()


def test_repeated_failures_lock_the_account_for_a_while(client: Client, principal: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "principal@district.test", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "principal@district.test", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert settings.AXES_COOLOFF_TIME is not None


def test_sign_out_ends_the_session(client: Client, principal: User) -> None:
    client.force_login(principal)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_working_link(
    client: Client, principal: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "principal@district.test"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Schoolward password"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a fresh long passphrase", "new_password2": "a fresh long passphrase"},
        follow=True,
    )
    assert "Your password has been changed" in response.content.decode()
    principal.refresh_from_db()
    assert principal.check_password("a fresh long passphrase")


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client: Client, district: object) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@district.test"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_sessions_expire_when_idle() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_sign_in_ignores_the_capitals_of_the_email(client: Client, principal: User) -> None:
    response = client.post(
        reverse("login"), {"username": "Principal@District.TEST", "password": TEST_PASSWORD}, follow=True
    )
    assert 'data-testid="home-principal"' in response.content.decode()


def test_someone_added_by_a_roster_import_can_choose_a_first_password(
    client: Client, district: object, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    User.objects.create_user(email="new.principal@district.test", full_name="New Principal", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "new.principal@district.test"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
