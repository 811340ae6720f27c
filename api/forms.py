from django import forms

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never (until revoked)")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=100,
        help_text="For example “Nightly sync to the data warehouse”.",
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    expires = forms.ChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        initial="90",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def expires_in_days(self) -> int | None:
        value = self.cleaned_data.get("expires") or ""
        return int(value) if value else None
