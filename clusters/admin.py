"""Performance contracts are agreed with the district and entered here: the measures, and a
target for each school year. What each measure reached is read from the data, never typed."""

from __future__ import annotations

from django.contrib import admin

from clusters.models import ContractMeasure, ContractTarget, PerformanceContract


class ContractMeasureInline(admin.TabularInline):
    model = ContractMeasure
    extra = 0
    show_change_link = True  # targets per year are set on the measure's own page
    fields = ["kind", "item", "order"]


@admin.register(PerformanceContract)
class PerformanceContractAdmin(admin.ModelAdmin):
    list_display = ["unit", "start_year", "end_year", "signed_on"]
    list_select_related = ["unit", "start_year", "end_year"]
    inlines = [ContractMeasureInline]


class ContractTargetInline(admin.TabularInline):
    model = ContractTarget
    extra = 1
    fields = ["school_year", "target"]


@admin.register(ContractMeasure)
class ContractMeasureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contract", "order"]
    list_select_related = ["contract__unit", "contract__start_year", "contract__end_year", "item"]
    list_filter = ["kind"]
    inlines = [ContractTargetInline]
