"""Sign-in pages under /accounts/, ahead of Django's password pages and allauth's own."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.generic import RedirectView

from signin import views


def closed(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


# allauth's pages for what Schoolward does not do: sign up, keep more email addresses, link
# more provider accounts by hand, or its second set of password pages.
CLOSED = r"^(signup|email|confirm-email|password|3rdparty|social|login/code)/"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("security/", views.security, name="signin_security"),
    path("2fa/", RedirectView.as_view(pattern_name="signin_security")),
    re_path(CLOSED, closed),
]
