from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.idempotency import SubmitOnceFormMixin
from core.uploads import ZIP, UploadField


class ImportUploadForm(SubmitOnceFormMixin, forms.Form):
    upload = UploadField(
        label=_("Zip file with the interchange files"),
        help_text=_(
            "A zip of the folder with clients.csv and the other files of the interchange format."
        ),
        max_bytes=0,  # set per form from the setting, so a changed setting applies
        kinds=(ZIP,),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].max_bytes = settings.IMPORT_MAX_MEGABYTES * 1024 * 1024
        self.helper = FormHelper()
        self.helper.form_tag = False
