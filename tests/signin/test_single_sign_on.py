"""Single sign-on against a real OpenID Connect provider, driven as a browser would with redirects.

Schoolward runs at localhost and the provider at 127.0.0.1 on the same live server, so each
keeps its own session cookie; every request below is real HTTP.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from district.models import User
from signin.models import SignInEvent
from tests.conftest import District
from tests.signin.fixtures import PROVIDER_ID, OidcProvider, enrol

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_agent() -> Iterator[Callable[[], requests.Session]]:
    """Browsers as requests sessions, closed after the test so the live server's threads end with it."""
    agents: list[requests.Session] = []

    def open_agent() -> requests.Session:
        agents.append(requests.Session())
        return agents[-1]

    yield open_agent
    for agent in agents:
        agent.close()


def page_message(response: requests.Response) -> str:
    alerts = re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', response.text, flags=re.S)
    return html.unescape(" ".join(alerts))


def press_sign_in_with_provider(agent: requests.Session, oidc: OidcProvider) -> requests.Response:
    """Open the sign-in page and press the provider's button; stop at the redirect to the provider."""
    page = agent.get(f"{oidc.base_url}/accounts/login/")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    assert f'action="{oidc.login_path}"' in page.text, "the sign-in page offers the provider"
    response = agent.post(
        f"{oidc.base_url}{oidc.login_path}", data={"csrfmiddlewaretoken": token.group(1)}, allow_redirects=False
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{oidc.issuer}/authorize/")
    return response


def sign_in_at_provider(agent: requests.Session, authorize_url: str, account: User) -> requests.Response:
    """At the provider: sign in to its account; follow its redirects back into Schoolward."""
    sign_in_page = agent.get(authorize_url)
    assert sign_in_page.url.startswith(f"{authorize_url.split('/authorize/')[0]}/sign-in/")
    return agent.post(sign_in_page.url, data={"account": account.pk})


def single_sign_on(agent: requests.Session, oidc: OidcProvider, account: User) -> requests.Response:
    redirect = press_sign_in_with_provider(agent, oidc)
    return sign_in_at_provider(agent, redirect.headers["Location"], account)


def signed_in_home(agent: requests.Session, oidc: OidcProvider) -> requests.Response:
    return agent.get(f"{oidc.base_url}/", allow_redirects=False)


def test_a_person_the_roster_knows_signs_in_with_the_provider(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District, principal: User
) -> None:
    agent = new_agent()
    landed = single_sign_on(agent, oidc_provider, oidc_provider.account("Principal@District.TEST"))
    assert landed.url == f"{oidc_provider.base_url}/"
    assert 'data-testid="home-principal"' in landed.text
    event = SignInEvent.objects.get()
    assert (event.person, event.method, event.provider, event.outcome) == (
        principal,
        SignInEvent.Method.SINGLE_SIGN_ON,
        PROVIDER_ID,
        SignInEvent.Outcome.SIGNED_IN,
    )
    link = SocialAccount.objects.get(user=principal)
    assert link.provider == PROVIDER_ID

    # The next time, the link made on the first sign-in is used; the roster still decides.
    agent = new_agent()
    account = User.objects.get(pk=int(link.uid))  # the provider's own account, signing in again
    landed = single_sign_on(agent, oidc_provider, account)
    assert 'data-testid="home-principal"' in landed.text


def test_leaders_signed_in_by_the_provider_need_no_code_from_schoolward(
    new_agent: Callable[[], requests.Session],
    oidc_provider: OidcProvider,
    district: District,
    executive: User,
    admin_user: User,
) -> None:
    enrol(executive)  # even with an authenticator set up, the provider's own check stands in
    agent = new_agent()
    landed = single_sign_on(agent, oidc_provider, oidc_provider.account(executive.email))
    assert 'data-testid="home-executive"' in landed.text
    agent = new_agent()
    single_sign_on(agent, oidc_provider, oidc_provider.account(admin_user.email))
    admin = agent.get(f"{oidc_provider.base_url}/admin/", allow_redirects=False)
    assert admin.status_code == 200


def test_an_email_the_roster_does_not_know_is_refused_with_a_message(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District
) -> None:
    agent = new_agent()
    landed = single_sign_on(agent, oidc_provider, oidc_provider.account("stranger@elsewhere.test"))
    assert landed.url.startswith(f"{oidc_provider.base_url}/accounts/login/")
    assert "stranger@elsewhere.test is not in Schoolward's roster" in page_message(landed)
    assert signed_in_home(agent, oidc_provider).status_code == 302
    assert not User.objects.filter(email__iexact="stranger@elsewhere.test").exists(), "nobody is signed up"
    event = SignInEvent.objects.get()
    assert (event.outcome, event.reason, event.email) == (
        SignInEvent.Outcome.REFUSED,
        SignInEvent.Reason.UNKNOWN_EMAIL,
        "stranger@elsewhere.test",
    )


def test_a_switched_off_account_is_refused_with_a_message(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District, principal: User
) -> None:
    User.objects.filter(pk=principal.pk).update(is_active=False)
    agent = new_agent()
    landed = single_sign_on(agent, oidc_provider, oidc_provider.account("principal@district.test"))
    assert landed.url.startswith(f"{oidc_provider.base_url}/accounts/login/")
    assert "This account has been switched off" in page_message(landed)
    assert signed_in_home(agent, oidc_provider).status_code == 302
    assert SignInEvent.objects.get().reason == SignInEvent.Reason.ACCOUNT_OFF


def test_an_email_the_provider_has_not_verified_is_refused(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District
) -> None:
    agent = new_agent()
    account = oidc_provider.account("principal@district.test", email_verified=False)
    landed = single_sign_on(agent, oidc_provider, account)
    assert "did not tell Schoolward your email address" in page_message(landed)
    assert signed_in_home(agent, oidc_provider).status_code == 302


def test_a_tampered_state_is_refused(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District
) -> None:
    agent = new_agent()
    redirect = press_sign_in_with_provider(agent, oidc_provider)
    sign_in_page = agent.get(redirect.headers["Location"])
    account = oidc_provider.account("principal@district.test")
    response = agent.post(sign_in_page.url, data={"account": account.pk}, allow_redirects=False)
    while not response.headers["Location"].startswith(oidc_provider.base_url):  # still at the provider
        response = agent.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False)
    parts = urlsplit(response.headers["Location"])
    query = dict(parse_qsl(parts.query))
    assert query["code"]
    assert query["state"]
    query["state"] = query["state"][::-1]
    landed = agent.get(urlunsplit(parts._replace(query=urlencode(query))))
    assert landed.url.startswith(f"{oidc_provider.base_url}/accounts/login/")
    assert "did not complete, so you are not signed in" in page_message(landed)
    assert signed_in_home(agent, oidc_provider).status_code == 302
    event = SignInEvent.objects.get()
    assert (event.outcome, event.reason) == (SignInEvent.Outcome.REFUSED, SignInEvent.Reason.PROVIDER_ERROR)
    assert "state" in event.detail


def test_an_id_token_for_another_nonce_is_refused(
    new_agent: Callable[[], requests.Session], oidc_provider: OidcProvider, district: District
) -> None:
    agent = new_agent()
    redirect = press_sign_in_with_provider(agent, oidc_provider)
    parts = urlsplit(redirect.headers["Location"])
    query = dict(parse_qsl(parts.query))
    assert len(query["nonce"]) >= 32, "each sign-in sends its own nonce"
    query["nonce"] = "a-nonce-this-browser-never-sent"
    landed = sign_in_at_provider(
        agent, urlunsplit(parts._replace(query=urlencode(query))), oidc_provider.account("principal@district.test")
    )
    assert "did not complete, so you are not signed in" in page_message(landed)
    assert signed_in_home(agent, oidc_provider).status_code == 302
    assert SignInEvent.objects.get().reason == SignInEvent.Reason.NONCE_MISMATCH


def test_with_passwords_turned_off_only_the_provider_signs_in(
    new_agent: Callable[[], requests.Session],
    oidc_provider: OidcProvider,
    district: District,
    principal: User,
    settings: Settings,
    client: Client,
) -> None:
    settings.SIGNIN_PASSWORDS = False
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    assert "Sign in with District sign-in" in page
    assert "Forgotten your password?" not in page
    response = client.post(reverse("login"), {"username": "principal@district.test", "password": "anything"})
    assert "does not use passwords here" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("password_reset"), follow=True).redirect_chain[-1][0] == reverse("login")

    agent = new_agent()
    landed = single_sign_on(agent, oidc_provider, oidc_provider.account("principal@district.test"))
    assert 'data-testid="home-principal"' in landed.text
    assert list(SignInEvent.objects.values_list("method", "reason")) == [
        (SignInEvent.Method.SINGLE_SIGN_ON, ""),
        (SignInEvent.Method.PASSWORD, SignInEvent.Reason.PASSWORDS_OFF),
    ]


def test_a_provider_out_of_reach_sends_people_back_with_a_message(
    client: Client, district: District, settings: Settings
) -> None:
    unreachable: dict[str, object] = {"provider_id": PROVIDER_ID, "name": "District sign-in", "client_id": "x"}
    unreachable["secret"] = "y"
    unreachable["settings"] = {"server_url": "http://127.0.0.1:9/nowhere"}  # nothing listens on port 9
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"], "APPS": [unreachable]}
    }
    response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Signing in with District sign-in did not complete" in response.content.decode()
    event = SignInEvent.objects.get()
    assert (event.reason, event.provider) == (SignInEvent.Reason.PROVIDER_ERROR, PROVIDER_ID)
    assert "ConnectionError" in event.detail
