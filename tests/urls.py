"""The test settings' URLs: Schoolward's, plus a real OpenID Connect provider at /test-oidc/."""

from django.urls import include, path

from config import urls as project
from tests.signin import provider

urlpatterns = [
    path("test-oidc/", include((provider.urlpatterns, "oauth2_provider"))),
    *project.urlpatterns,
]

handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
