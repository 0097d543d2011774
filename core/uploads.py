"""Uploaded files: refused when too large or not of the kind a form expects, with a Dutch message.

The check looks at the file's first bytes as well as its name, so a renamed file is refused too.
Used by every form that takes a file (the import of issue 8 takes a zip).
"""

from dataclasses import dataclass

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    label: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]  # the file starts with one of these


ZIP = FileKind("zip", (".zip",), (b"PK\x03\x04", b"PK\x05\x06"))
CSV = FileKind("CSV", (".csv", ".txt"), ())  # text has no signature; checked when read


class UploadField(forms.FileField):
    """A file field with a size limit and the kinds of file it accepts."""

    default_error_messages = {
        "too_large": _("The file is %(size)s; at most %(limit)s is accepted."),
        "wrong_kind": _("This is not a %(kinds)s file."),
    }

    def __init__(self, *, max_bytes: int, kinds: tuple[FileKind, ...], **kwargs):
        self.max_bytes, self.kinds = max_bytes, kinds
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(e for k in kinds for e in k.extensions))

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if value.size > self.max_bytes:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={
                    "size": filesizeformat(value.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )
        if not any(self._is_kind(value, kind) for kind in self.kinds):
            raise forms.ValidationError(
                self.error_messages["wrong_kind"],
                code="wrong_kind",
                params={"kinds": " / ".join(kind.label for kind in self.kinds)},
            )

    @staticmethod
    def _is_kind(value, kind: FileKind) -> bool:
        if not value.name.lower().endswith(kind.extensions):
            return False
        if not kind.magic:
            return True
        value.seek(0)
        start = value.read(8)
        value.seek(0)
        return start.startswith(kind.magic)
