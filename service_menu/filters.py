import django_filters
from django import forms
from django.db.models import Q, QuerySet

from district.models import School, Unit
from service_menu.models import ContentArea, Request, Service, Tier


class CatalogFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or summary"}),
    )
    content_area = django_filters.ModelChoiceFilter(queryset=ContentArea.objects.all(), empty_label="All areas")
    tier = django_filters.ModelChoiceFilter(queryset=Tier.objects.all(), empty_label="All tiers")
    unit = django_filters.ModelChoiceFilter(
        field_name="menu__unit", queryset=Unit.objects.all(), empty_label="All units", label="Unit"
    )
    level = django_filters.ChoiceFilter(
        choices=School.Level.choices, method="for_level", empty_label="Any school level", label="School level"
    )

    class Meta:
        model = Service
        fields = ["q", "content_area", "tier", "unit", "level"]

    def search(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def for_level(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return queryset.for_level(value)  # type: ignore[attr-defined]


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "School or service"}),
    )
    status = django_filters.ChoiceFilter(choices=Request.Status.choices, empty_label="Any status")
    awaiting = django_filters.BooleanFilter(
        method="only_awaiting", label="Awaiting an answer", widget=forms.CheckboxInput
    )

    class Meta:
        model = Request
        fields = ["q", "status", "awaiting"]

    def search(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        return queryset.filter(Q(school__name__icontains=value) | Q(service__title__icontains=value))

    def only_awaiting(self, queryset: QuerySet[Request], name: str, value: bool) -> QuerySet[Request]:
        return queryset.awaiting_answer() if value else queryset  # type: ignore[attr-defined]
