"""Table cells carry their column's attributes and name, worked out once per column."""

import re

import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory

from district.templatetags.schoolward import cell_attrs


class Plain(tables.Table):
    name = tables.Column(verbose_name="Name <i>", attrs={"td": {"class": "wide-only"}})
    size = tables.Column(attrs={"td": {"class": lambda record: "big" if record["size"] > 10 else "small"}})


ROWS = [{"name": "A", "size": 5}, {"name": "B", "size": 50}]


def cells(table: tables.Table) -> list[str]:
    html = Template("{% load render_table from django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": RequestFactory().get("/")})
    )
    return re.findall(r"<td [^>]*>", html)


def test_each_cell_has_its_columns_attributes_and_name_as_django_tables2_gives_them() -> None:
    table = Plain(ROWS)

    assert cells(table) == [
        '<td class="wide-only" data-label="Name &lt;i&gt;">',
        '<td class="small" data-label="Size">',
        '<td class="wide-only" data-label="Name &lt;i&gt;">',
        '<td class="big" data-label="Size">',
    ]


def test_static_attributes_are_worked_out_once_and_row_dependent_ones_every_time() -> None:
    table = Plain(ROWS)
    name, size = table.columns["name"], table.columns["size"]

    cells(table)

    assert name.__dict__["_cell_attrs_html"] == cell_attrs(name)
    assert "_cell_attrs_html" not in size.__dict__
