from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import health, offline
from config import views as config_views
from district.forms import ChoosePasswordForm

# The admin signs people in through the sign-in page, so its second factor is asked there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", config_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline_page, name="offline_page"),
    path("accounts/", include("signin.urls")),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ChoosePasswordForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("district.urls")),
    path("coaching/", include("coaching.urls")),
    path("services/", include("service_menu.urls")),
    path("satisfaction/", include("cycles.satisfaction.urls")),
    path("cycles/", include("cycles.inquiry.urls")),
    path("clusters/", include("clusters.urls")),
    path("documents/", include("documents.urls")),
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "district.errors.permission_denied"
handler404 = "district.errors.page_not_found"
handler500 = "district.errors.server_error"
