"""Two-factor sign-in: codes from an authenticator app after the password, and recovery codes."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from district.models import User
from signin.models import SignInEvent
from tests.conftest import District
from tests.factories import TEST_PASSWORD, UserFactory
from tests.signin.fixtures import enrol, totp_code, wrong_code

pytestmark = pytest.mark.django_db

ADMIN = "admin@district.test"
SETUP = "/accounts/2fa/totp/activate/"


def sign_in_with_password(client: Client, email: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": email, "password": password})


def enter_code(client: Client, code: str) -> Any:
    return client.post(reverse("mfa_authenticate"), {"code": code})


def set_up_authenticator(client: Client) -> str:
    """Go through the set-up page as a person would; returns the secret the app was given."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert f'data-testid="totp-secret">{secret}<' in page.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_view_recovery_codes")
    return secret


# allauth announces a new authenticator once it is committed, as it would be in a request.
@pytest.mark.django_db(transaction=True)
def test_an_admin_without_two_factor_is_sent_to_set_it_up_before_the_admin(client: Client, district: District) -> None:
    response = sign_in_with_password(client, ADMIN)
    assert response.headers["Location"] == reverse("home")
    for path in [reverse("admin:index"), reverse("home"), reverse("district:school_list")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == SETUP, path
    set_up_authenticator(client)
    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert 'data-testid="recovery-codes"' in codes
    assert "Continue to Schoolward" in codes
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    admin = User.objects.get(email=ADMIN)
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert list(SignInEvent.objects.order_by("pk").values_list("outcome", "second_factor")) == [
        (SignInEvent.Outcome.SIGNED_IN, ""),
        (SignInEvent.Outcome.TWO_FACTOR_ON, "totp"),
    ]


# allauth announces a new authenticator once it is committed, as it would be in a request.
@pytest.mark.django_db(transaction=True)
def test_an_executive_must_set_up_two_factor_before_anything_else(client: Client, district: District) -> None:
    sign_in_with_password(client, "executive@district.test")
    assert client.get(reverse("home")).headers["Location"] == SETUP
    set_up_authenticator(client)
    assert 'data-testid="home-executive"' in client.get(reverse("home")).content.decode()


def test_other_roles_sign_in_with_their_password_alone(client: Client, district: District) -> None:
    sign_in_with_password(client, "principal@district.test")
    assert 'data-testid="home-principal"' in client.get(reverse("home")).content.decode()


def test_with_two_factor_a_correct_code_passes_and_a_wrong_one_fails(client: Client, admin_user: User) -> None:
    secret = enrol(admin_user).secret
    response = sign_in_with_password(client, ADMIN)
    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302, "not signed in until the code"
    assert client.get(reverse("home")).headers["Location"].startswith(reverse("login"))

    response = enter_code(client, wrong_code(secret))
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302

    response = enter_code(client, totp_code(secret))
    assert response.headers["Location"] == reverse("home")
    assert client.get(reverse("admin:index")).status_code == 200
    assert list(SignInEvent.objects.order_by("pk").values_list("outcome", "reason", "second_factor")) == [
        (SignInEvent.Outcome.REFUSED, SignInEvent.Reason.WRONG_CODE, ""),
        (SignInEvent.Outcome.SIGNED_IN, "", "totp"),
    ]


def test_five_wrong_codes_make_a_person_wait(client: Client, admin_user: User) -> None:
    secret = enrol(admin_user).secret
    sign_in_with_password(client, ADMIN)
    for _ in range(5):
        enter_code(client, wrong_code(secret))
    response = enter_code(client, totp_code(secret))
    assert response.status_code == 200, "even the right code waits"
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(client: Client, admin_user: User) -> None:
    code = enrol(admin_user).recovery_codes[0]
    sign_in_with_password(client, ADMIN)
    assert enter_code(client, code).headers["Location"] == reverse("home")
    assert client.get(reverse("admin:index")).status_code == 200
    assert SignInEvent.objects.get(outcome=SignInEvent.Outcome.SIGNED_IN).second_factor == "recovery_codes"

    client.post(reverse("logout"))
    sign_in_with_password(client, ADMIN)
    response = enter_code(client, code)
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_session_that_showed_no_second_factor_cannot_open_the_admin(admin_user: User) -> None:
    """A session made without the sign-in page (here Django's own force_login) must show a code first."""
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.headers["Location"] == SETUP
    assert client.get(reverse("home")).headers["Location"] == SETUP, "and until then, nothing else"

    secret = enrol(admin_user).secret
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse("admin:district_school_changelist"))
    assert response.headers["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fdistrict%2Fschool%2F"
    assert client.get(reverse("home")).status_code == 200, "the rest of Schoolward is open to them"
    response = client.post(response.headers["Location"], {"code": totp_code(secret), "next": "/admin/district/school/"})
    assert response.headers["Location"] == "/admin/district/school/"
    assert client.get(reverse("admin:district_school_changelist")).status_code == 200


def test_the_admins_own_sign_in_page_sends_people_to_the_sign_in_page(client: Client, district: District) -> None:
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"
    response = client.post(reverse("admin:login"), {"username": ADMIN, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_where_two_factor_is_not_required_an_admin_signs_in_with_a_password(
    client: Client, district: District, settings: Settings
) -> None:
    settings.SIGNIN_TWO_FACTOR_REQUIRED = False
    sign_in_with_password(client, ADMIN)
    assert client.get(reverse("admin:index")).status_code == 200


# allauth announces a new authenticator once it is committed, as it would be in a request.
@pytest.mark.django_db(transaction=True)
def test_security_page_offers_two_factor_to_everyone(client_for: Any, district: District) -> None:
    url = reverse("signin_security")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith(reverse("login"))

    client = client_for("principal")
    page = client.get(url).content.decode()
    assert "Set up an authenticator app" in page
    response = client.get(reverse("mfa_activate_totp"))
    assert response.headers["Location"].startswith(reverse("account_reauthenticate")), "long after signing in"
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    set_up_authenticator(client)
    page = client.get(url).content.decode()
    assert "10 unused" in page
    assert reverse("mfa_deactivate_totp") in page
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "Set up an authenticator app" in response.content.decode()
    assert "Two-factor sign-in is off." in response.content.decode()


def test_leaders_cannot_turn_two_factor_off(
    client_for: Any, district: District, executive: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for("executive")
    enrol(executive)
    # The session, the person, their authenticators and linked accounts, roles (2), the session saved (3).
    with django_assert_num_queries(9):
        page = client.get(reverse("signin_security")).content.decode()
    assert "Your role needs it" in page
    assert reverse("mfa_deactivate_totp") not in page
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert "required for your role" in response.content.decode()
    assert Authenticator.objects.filter(user=executive, type=Authenticator.Type.TOTP).exists()


def test_a_switched_off_account_is_told_so_only_after_its_right_password(client: Client, district: District) -> None:
    UserFactory.create(email="gone@district.test", is_active=False)
    wrong = sign_in_with_password(client, "gone@district.test", "not the password").content.decode()
    assert "That email and password do not match" in wrong
    right = sign_in_with_password(client, "gone@district.test").content.decode()
    assert "This account has been switched off" in right
    assert client.get(reverse("home")).status_code == 302
    assert list(SignInEvent.objects.order_by("pk").values_list("reason", flat=True)) == [
        SignInEvent.Reason.WRONG_PASSWORD,
        SignInEvent.Reason.ACCOUNT_OFF,
    ]


def test_the_sign_in_log_is_for_admins_to_read_and_nobody_to_change(
    client_for: Any, client: Client, district: District
) -> None:
    sign_in_with_password(client, "principal@district.test", "wrong")
    url = reverse("admin:signin_signinevent_changelist")
    assert client_for("principal").get(url).status_code == 302
    admin = client_for("admin_user")
    page = admin.get(url).content.decode()
    assert "principal@district.test" in page
    assert "Wrong email or password" in page
    event = SignInEvent.objects.get()
    assert admin.get(reverse("admin:signin_signinevent_add")).status_code == 403
    assert admin.post(reverse("admin:signin_signinevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert SignInEvent.objects.count() == 1
