"""Form widgets shared by the apps.

FastSelect: Django renders each <option> of a Select through a template (~30–60 µs each); a
filter with every deputy of a city (hundreds of options) then costs tens of milliseconds per page.
FastSelect writes the same HTML in Python, escaped with format_html, and keeps Django's attrs
(id, required, aria-*) and its optgroups.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        parts = [format_html("<select name=\"{}\"{}>", name, flatatt(final_attrs))]
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                parts.append(format_html("<optgroup label=\"{}\">", option_value))
                parts.extend(_option(v, lbl, selected) for v, lbl in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped in _option


def _option(value, label, selected: set[str]) -> str:
    value = "" if value is None else str(value)
    flag = " selected" if value in selected else ""
    return f'<option value="{escape(value)}"{flag}>{conditional_escape(label)}</option>'
