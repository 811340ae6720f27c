from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from api import views
from api.api import api


def _token_authenticated(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API authenticates by bearer token, not by session: its views skip the sign-in redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
        else:
            _token_authenticated(pattern.url_patterns)
    return patterns


api_patterns, api_app_name, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", include((_token_authenticated(list(api_patterns)), api_app_name), namespace=api_namespace)),
    path("profile/api-tokens/", views.tokens, name="api_tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
