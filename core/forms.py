from concurrency import forms as concurrency_forms
from concurrency.exceptions import VersionError
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(
            field if field in form.fields and field != NON_FIELD_ERRORS else None, errors
        )


class VersionField(concurrency_forms.VersionField):
    """The signed version of the record being edited (optimistic locking, django-concurrency).

    A missing or tampered value becomes a form error instead of django-concurrency's
    VersionError (which would be a 500).
    """

    default_error_messages = {
        "invalid_version": _(
            "This form is out of date or was altered. Open the page again and repeat your changes."
        )
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except VersionError:
            raise ValidationError(
                self.error_messages["invalid_version"], code="invalid_version"
            ) from None


def with_version(data, field_name: str, version: int):
    """A copy of bound form data carrying `version`, so a corrected form can be saved again."""
    data = data.copy()
    data[field_name] = VersionField().prepare_value(version).value
    return data


class ServiceAreaForm(forms.Form):
    """The municipalities the company works for, out of those that exist today."""

    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities of the service area"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from core.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by(
            "province", "name"
        )

    def groups(self):
        """(province, [(pk, name, chosen)]) for the page's list, chosen as submitted or saved."""
        field = self["municipalities"]
        chosen = {str(v) for v in (field.value() or ())}
        groups: dict[str, list] = {}
        for pk, name, province in self.fields["municipalities"].queryset.values_list(
            "pk", "name", "province"
        ):
            groups.setdefault(province, []).append((pk, name, str(pk) in chosen))
        return list(groups.items())


def limit_to_current_municipalities(form, field: str = "municipality") -> None:
    """A model form's municipality choice lists the municipalities that exist today, and the
    one the record holds already (a client registered in Haaren before 2021 keeps it)."""
    from django.db.models import Q

    from core.models import Municipality

    held = getattr(form.instance, f"{field}_id", None)
    form.fields[field].queryset = Municipality.objects.filter(
        Q(pk__in=Municipality.objects.current()) | Q(pk=held)
    )
