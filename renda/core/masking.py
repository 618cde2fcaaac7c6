"""Masking of personal data for viewers who do not need it (138****5678)."""

import re

MASK = "*"


def mask_phone(value: str | None) -> str:
    """Keep the first 3 and last 4 digits of a mobile number; shorter numbers keep the last 2."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 11:
        return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]
    if len(digits) > 4:
        return MASK * (len(digits) - 2) + digits[-2:]
    return MASK * len(digits)


def mask_name(value: str | None) -> str:
    """Chinese names keep the surname (张**); a one-character name is masked whole."""
    if not value:
        return ""
    if len(value) == 1:
        return MASK
    return value[0] + MASK * (len(value) - 1)


def mask_id_number(value: str | None) -> str:
    """Resident ID: keep the first 6 (region) and last 4 characters."""
    if not value:
        return ""
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return mask_name(value)
    local, _, domain = value.partition("@")
    return (local[:1] + MASK * max(len(local) - 1, 2)) + "@" + domain


def mask_address(value: str | None) -> str:
    """Keep the first 6 characters (district, street) and hide the rest."""
    if not value:
        return ""
    return value[:6] + (MASK * 4 if len(value) > 6 else "")


PHONE_IN_TEXT = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
ID_IN_TEXT = re.compile(r"(?<![0-9Xx])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9Xx])")


def mask_free_text(text: str | None, *, names: tuple[str, ...] = ()) -> str:
    """Mobile and resident ID numbers inside free text masked, and the given names (of two or more
    characters) masked wherever they occur: a first redaction for publication."""
    text = PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text or "")
    text = ID_IN_TEXT.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text
