import re

import pytest
from django import forms

from cycles.satisfaction.forms import SCORE_CHOICES, RatingOptions


def inputs(html: str) -> list[str]:
    return re.findall(r"<input [^>]*>", html)


@pytest.mark.parametrize("value", [None, "3", 5])
def test_rating_options_write_the_same_inputs_as_django_radio_select(value):
    attrs = {"class": "form-check-input", "id": "id_u7-item_1"}
    stock = forms.RadioSelect(attrs={"class": "form-check-input"}, choices=SCORE_CHOICES)
    ours = RatingOptions(attrs={"class": "form-check-input"}, choices=SCORE_CHOICES)

    html = ours.render("u7-item_1", value, attrs=attrs)

    assert inputs(html) == inputs(stock.render("u7-item_1", value, attrs=attrs))
    assert len(inputs(html)) == 5
    assert html.count('<label class="rating-option" for="id_u7-item_1_') == 5
    assert ("checked" in html) == (value is not None)


def test_rating_options_escape_what_they_write():
    widget = RatingOptions(choices=[('"><b>', "<i>x</i>")])

    html = widget.render('n"', None, attrs={"id": 'i"d'})

    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html
