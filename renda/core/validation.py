"""Input checks shared by every app's services: they raise Django's ValidationError keyed by field.

`ValidationError({field: [message]}, code=…)` drops the code for a dict; these helpers wrap each
message in its own ValidationError so the code survives (the API reports it as the detail's `type`).
"""

from django.core.exceptions import ValidationError


def field_error(field: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def clean_text(value, *, max_length: int, error, required: bool = True, field: str, code: str = "invalid") -> str:
    """A stripped string without NUL bytes; `error` when it is missing, too long or not a string."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise field_error(field, error, code)
    value = value.replace("\x00", "").strip()
    if (required and not value) or len(value) > max_length:
        raise field_error(field, error, code)
    return value


def add_errors(form, e: ValidationError) -> None:
    """A service's field errors onto a Django form (unknown fields become form-wide errors)."""
    if hasattr(e, "error_dict"):
        for name, errs in e.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, e.messages)
