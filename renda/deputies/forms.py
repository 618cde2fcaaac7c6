from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Deputy


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或单位"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + Deputy.Status.choices)
    sector = forms.ChoiceField(label=_("界别"), required=False, choices=[("", _("全部"))] + Deputy.Sector.choices)
    group = forms.TypedChoiceField(label=_("代表小组"), required=False, coerce=int, empty_value=None)
    district = forms.TypedChoiceField(label=_("选区"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, groups=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("全部"))] + [(g.pk, g.name) for g in groups]
        self.fields["district"].choices = [("", _("全部"))] + [(d.pk, d.name) for d in districts]

    def select_fields(self) -> list[dict]:
        """The select filters with their options pre-resolved (value, label, selected).

        Rendering this in the template with `{% if f.value|stringformat … %}` per option cost more
        than the table itself once a congress has dozens of districts.
        """
        out = []
        for name in ("status", "sector", "group", "district"):
            bf = self[name]
            current = "" if bf.value() in (None, "") else str(bf.value())
            out.append({
                "name": bf.html_name,
                "id": bf.id_for_label,
                "label": bf.label,
                "options": [(str(v), str(label), str(v) == current) for v, label in bf.field.choices],
            })
        return out


class StatusChangeForm(forms.Form):
    action = forms.CharField(max_length=40)
    note = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0, max_value=2**31)
