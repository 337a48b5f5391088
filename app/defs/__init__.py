"""Service definitions: parse, validate and compile YAML/JSON into immutable ServiceDefs.

Public API::

    validate_text(text, path="<string>") -> ServiceDef     # raises DefinitionError
    validate_file(path) -> ServiceDef
    digest(service_def) -> str
    to_yaml(service_def) -> str
    form_to_schema(form) -> dict; schema_to_fields(schema) -> list[dict]; form_validator(form)
"""
from app.defs.compile import digest, to_yaml, validate_file, validate_text
from app.defs.exceptions import DefinitionError, ExprError, Problem
from app.defs.jsonschema_form import form_to_schema, form_validator, schema_to_fields
from app.defs.model import Field, Form, ServiceDef, Step

__all__ = [
    "validate_text", "validate_file", "digest", "to_yaml", "DefinitionError", "ExprError",
    "Problem", "form_to_schema", "form_validator", "schema_to_fields", "Field",
    "Form", "ServiceDef", "Step",
]
