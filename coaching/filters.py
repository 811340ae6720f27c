import django_filters
from django import forms
from django.db.models import Q, QuerySet

from coaching.models import Visit
from district.models import School


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "School or principal"}),
    )
    needs_attention = django_filters.BooleanFilter(
        method="filter_attention",
        label="Needs attention",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = School
        fields = ["q", "needs_attention"]

    def search(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        return queryset.filter(Q(name__icontains=value) | Q(principal__full_name__icontains=value))

    def filter_attention(self, queryset: QuerySet[School], name: str, value: bool) -> QuerySet[School]:
        if not value:
            return queryset
        return queryset.filter(Q(overdue_steps__gt=0) | Q(active_goals=0) | Q(last_visit__isnull=True))


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="school__name",
        lookup_expr="icontains",
        label="School",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=Visit.Status.choices, empty_label="Any status")
    principal_present = django_filters.BooleanFilter(
        label="Joint",
        widget=forms.Select(choices=[("", "Joint or solo"), ("true", "Joint"), ("false", "Solo")]),
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Visit
        fields = ["q", "status", "principal_present", "date_from"]
