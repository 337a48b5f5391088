"""Nothing written in YAML is lost by the designer: every shipped definition survives the
metadata form's data round trip and the draft → YAML → draft round trip unchanged (fields and
steps are edited as JSON in the builder: tests/designer/test_builder.py)."""
import glob
import os

import pytest

from app.defs.compile import digest, export_dict, validate_file, validate_text
from designer import drafts, editors
from tests.conftest import DEFINITIONS

SHIPPED = sorted(glob.glob(os.path.join(DEFINITIONS, "*.yaml")))


@pytest.fixture(params=SHIPPED, ids=os.path.basename)
def shipped(request):
    return export_dict(validate_file(request.param))


def test_draft_to_yaml_and_back_is_equal(shipped):
    text = drafts.dump(shipped)
    again = validate_text(text)
    assert export_dict(again) == shipped
    assert drafts.dump(export_dict(again)) == text
    assert digest(again) == digest(validate_text(drafts.dump(shipped)))


def test_metadata_survives_the_metadata_form(shipped):
    again = editors.apply_meta(shipped, editors.meta_to_data(shipped))
    assert export_dict(validate_text(drafts.dump(again))) == shipped

