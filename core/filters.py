"""What every list page does with its query string: odd values are ignored, never a 500.

A list's filters come from a URL anyone can edit. PostgreSQL refuses a NUL byte in text, and
an id such as `²` (a digit to `str.isdigit`, not to `int`) or one of 20 digits (beyond a
bigint) breaks the query. So NUL bytes are stripped here, ids are read here, and a filter
whose value does not validate is left out, with a note on the page (issue 15, item 5).
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceField as DjangoModelChoiceField
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

INVALID_FILTER = _("A filter had an invalid value and was ignored.")

BIGINT_MAX = 2**63 - 1


def without_nul(data: QueryDict) -> QueryDict:
    """A copy of the query with every NUL byte removed from keys and values."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    return cleaned


def object_id(value: str) -> int | None:
    """The id in a filter value: ASCII digits within a bigint, else None."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= BIGINT_MAX:
        return int(value)
    return None


def note_ignored(request) -> None:
    """Tell the user that a filter value was left out, on the page that leaves it out."""
    messages.warning(request, INVALID_FILTER)


class FilterSet(django_filters.FilterSet):
    """A list's filters without NUL bytes. A malformed value filters nothing (`ignored`); a
    well-formed id or a typed name that is not (or no longer) a choice selects nothing, as an
    id in a list built by hand does: the worklist's municipality whose last client was just
    assigned."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else without_nul(data), *args, **kwargs)

    def _no_such_choice(self, name: str) -> bool:
        """Whether the filter names a record that is not (or no longer) there: an id, or a
        name typed in a field that takes one (`names_a_record`, a team typed by name)."""
        errors = self.form.errors.as_data().get(name, [])
        value = self.form.data.get(name, "")
        field = self.form.fields.get(name)
        return all(error.code == "invalid_choice" for error in errors) and bool(
            getattr(field, "names_a_record", False) or object_id(str(value))
        )

    @property
    def ignored(self) -> bool:
        """Whether a filter value was malformed and so left out."""
        return self.is_bound and any(not self._no_such_choice(name) for name in self.form.errors)

    def filter_queryset(self, queryset):
        if any(self._no_such_choice(name) for name in self.form.errors):
            return queryset.none()
        return super().filter_queryset(queryset)


class IgnoringInvalidFiltersMixin:
    """For a FilterView: list what the valid filters select, and say a filter was ignored."""

    strict = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.ignored:
            note_ignored(self.request)
        return context


class ListedRows(django_filters.fields.ModelChoiceIterator):
    """The options of a ListedModelChoiceField: its rows as read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.rows()) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A choice of a row that reads the rows once: the select's options and the check of the
    chosen value come from one query (Django's field reads them twice, once per step)."""

    iterator = ListedRows
    _rows = None

    def rows(self) -> list:
        if self._rows is None:
            self._rows = list(self.queryset)
        return self._rows

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(DjangoModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy._rows = None
        return copy

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.rows():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter on a ListedModelChoiceField: one query, not two."""

    field_class = ListedModelChoiceField
