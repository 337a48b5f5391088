"""WTForms pieces the built-in field types need beyond WTForms' own fields.

Imported only when a form is rendered or parsed, never by the engine.
"""
import wtforms
from wtforms.utils import unset_value


class AttachmentsField(wtforms.MultipleFileField):
    """Its data is the list of kept attachment tokens; a POST re-renders its ``-keep`` inputs.

    Uploaded files themselves are saved by ``app.storage.attachments``, never by the form.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.data = [t for t in formdata.getlist(self.name + "-keep") if isinstance(t, str)]

    def process_formdata(self, valuelist):
        pass
