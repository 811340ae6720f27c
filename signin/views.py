from __future__ import annotations

from typing import Any

from allauth.account.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render

from district.http import AuthenticatedRequest
from signin.policy import passwords_enabled, sso_providers
from signin.selectors import security_overview


class SignInView(LoginView):
    """The sign-in page: the district's single sign-on first, then email and password if allowed."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["providers"] = sso_providers(self.request)
        context["passwords_enabled"] = passwords_enabled()
        return context


sign_in = SignInView.as_view()


def security(request: AuthenticatedRequest) -> HttpResponse:
    """Everyone's own page: two-factor sign-in and the single sign-on accounts linked to them."""
    return render(
        request,
        "signin/security.html",
        {"overview": security_overview(person=request.user), "passwords_enabled": passwords_enabled()},
    )
