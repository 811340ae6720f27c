import django_filters
from django import forms
from django.db.models import Q, QuerySet

from district.models import Cluster, School


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, code or principal"}),
    )
    cluster = django_filters.ModelChoiceFilter(queryset=Cluster.objects.all(), empty_label="All clusters")
    level = django_filters.ChoiceFilter(choices=School.Level.choices, empty_label="All levels")

    class Meta:
        model = School
        fields = ["q", "cluster", "level"]

    def search(self, queryset: QuerySet[School], name: str, value: str) -> QuerySet[School]:
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(principal__full_name__icontains=value)
        )
