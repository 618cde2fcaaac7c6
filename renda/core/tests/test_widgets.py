"""FastSelect renders what Django's Select renders: the same options, groups, selection and attrs."""

import re

from django import forms

from renda.core.widgets import FastSelect

CHOICES = [("", "全部"), (1, "张建国"), ("组", [(2, "<b>李秀英</b>"), (3, "王&刘")]), (10, "十")]


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [(v, bool(sel), label) for v, sel, label in
            re.findall(r'<option value="([^"]*)"( selected)?[^>]*>([^<]*(?:<(?!/option)[^<]*)*)</option>', html)]


def _form(widget_class, data):
    class F(forms.Form):
        who = forms.TypedChoiceField(choices=CHOICES, coerce=int, required=False, widget=widget_class)

    return F(data)


def test_same_options_selection_and_escaping_as_django():
    for value in ("1", "3", "10", ""):
        fast = str(_form(FastSelect, {"who": value})["who"])
        slow = str(_form(forms.Select, {"who": value})["who"])
        assert _options(fast) == _options(slow), value
        assert [lbl for lbl in re.findall(r'<optgroup label="([^"]*)"', fast)] == ["组"]
    html = str(_form(FastSelect, {"who": "1"})["who"])
    assert "&lt;b&gt;李秀英&lt;/b&gt;" in html and "<b>" not in html and "王&amp;刘" in html
    # "1" is selected, "10" is not (string comparison, not a prefix).
    assert _options(html)[1] == ("1", True, "张建国") and _options(html)[-1] == ("10", False, "十")


def test_attrs_from_the_bound_field_are_kept():
    class F(forms.Form):
        who = forms.ChoiceField(choices=[("", "请选择"), ("a", "A")], widget=FastSelect(attrs={"class": "form-select"}))

    f = F({})
    f.is_valid()
    html = str(f["who"])
    assert 'id="id_who"' in html and 'class="form-select' in html and "required" in html
    assert 'aria-invalid="true"' in html
