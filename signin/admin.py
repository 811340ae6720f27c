from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.http import HttpRequest

from signin.models import SignInEvent

# Schoolward keeps no email addresses beside the roster's, configures single sign-on from
# the environment and stores no provider tokens: these allauth pages would only mislead.
for model in (EmailAddress, SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in log, read-only: nobody edits or removes what happened."""

    list_display = ["at", "email", "outcome", "reason", "method", "provider", "second_factor", "ip_address"]
    list_filter = ["outcome", "method", "reason", "provider"]
    search_fields = ["email", "person__full_name", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["person"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
