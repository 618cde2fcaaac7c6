"""Model objects to response dicts. Masking decisions come from the selectors, never from here."""

from renda.deputies import selectors as deputy_selectors
from renda.deputies.workflow import DEPUTY_FLOW


def ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def congress(c) -> dict:
    return {"id": c.pk, "name": c.name, "short_name": c.short_name, "kind": c.kind,
            "kind_label": str(c.get_kind_display()), "body_name": c.body_name, "parent_id": c.parent_id}


def assignment(a) -> dict:
    return {"id": a.pk, "role": a.role, "role_label": str(a.get_role_display()), "congress": ref(a.congress),
            "office": ref(a.office), "unit": ref(a.unit), "deputy_id": a.deputy_id}


def place(p) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "kind_label": str(p.get_kind_display()),
            "parent_id": p.parent_id, "congress_id": p.congress_id, "code": p.code}


def public_place(p) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "kind_label": str(p.get_kind_display())}


def office(o) -> dict:
    return {"id": o.pk, "name": o.name, "code": o.code, "supervises": o.supervises, "member_count": o.member_count}


def committee_member(m) -> dict:
    return {"id": m.pk, "name": m.person.name, "post": m.post, "post_label": str(m.get_post_display()),
            "office": ref(m.office), "term": m.term.number, "start_date": m.start_date, "end_date": m.end_date}


def unit(u) -> dict:
    return {"id": u.pk, "name": u.name, "kind": u.kind, "kind_label": str(u.get_kind_display()),
            "is_active": u.is_active, "congress": ref(u.congress)}


def unit_detail(u, *, show_contacts: bool) -> dict:
    contacts = None
    if show_contacts:
        contacts = [{"name": c.name, "title": c.title, "phone": c.phone, "email": c.email} for c in u.contacts.all()]
    return {**unit(u), "contacts": contacts}


def deputy(d, *, user) -> dict:
    p = d.person
    contact = deputy_selectors.person_contact_for(user=user, deputy=d)
    return {
        "id": d.pk, "person_id": p.pk, "name": p.name, "gender": str(p.get_gender_display()),
        "ethnicity": p.ethnicity, "party": p.party, "occupation": p.occupation,
        "birth_month": p.birth_date.strftime("%Y-%m") if p.birth_date else "",
        "congress": ref(d.congress), "term": d.term.number, "district": ref(d.district), "group": ref(d.group),
        "sector": d.sector, "sector_label": str(d.get_sector_display()),
        "status": d.status, "status_label": str(d.get_status_display()), "version": d.version,
        "contact": {"phone": contact.phone, "email": contact.email, "id_number": contact.id_number,
                    "masked": contact.masked},
    }


def membership(d) -> dict:
    return {"id": d.pk, "congress": ref(d.congress), "term": d.term.number, "status": d.status,
            "status_label": str(d.get_status_display())}


def timeline_entry(t) -> dict:
    e = t.event
    return {"at": e.created_at, "actor": str(e.actor) if e.actor_id else "", "action": e.action,
            "action_label": t.action_label, "from_state": e.from_state, "from_label": t.from_label,
            "to_state": e.to_state, "to_label": t.to_label, "note": e.note}


def deputy_detail(d, *, user, memberships) -> dict:
    return {**deputy(d, user=user), "memberships": [membership(m) for m in memberships],
            "actions": [t.action for t in DEPUTY_FLOW.actions_for(d, user)],
            "timeline": [timeline_entry(t) for t in DEPUTY_FLOW.timeline(d)]}


def station(s) -> dict:
    return {"id": s.pk, "name": s.name, "kind": s.kind, "kind_label": str(s.get_kind_display()),
            "congress": ref(s.congress), "town": ref(s.town), "address": s.address, "brand": s.brand,
            "reception_days": s.reception_days, "phone": s.phone}


def station_detail(s, *, duties) -> dict:
    return {**station(s), "communities": [ref(c) for c in s.communities.all()],
            "duties": [{"deputy_id": x.deputy_id, "name": x.deputy.person.name, "congress": ref(x.deputy.congress),
                        "schedule": x.schedule} for x in duties]}


def public_deputy(d) -> dict:
    # Only fields in deputies.selectors.PUBLIC_DEPUTY_FIELDS: touching any other would load it.
    p = d.person
    return {"id": d.pk, "name": p.name, "gender": str(p.get_gender_display()), "party": p.party,
            "occupation": p.occupation, "bio": p.public_bio, "congress": d.congress.name,
            "level": d.congress.kind, "level_label": str(d.congress.get_kind_display()),
            "district": d.district.name if d.district_id else "", "group": d.group.name if d.group_id else "",
            "sector": str(d.get_sector_display())}


def public_station(s) -> dict:
    return {"id": s.pk, "name": s.name, "kind_label": str(s.get_kind_display()), "congress": s.congress.name,
            "town": s.town.name, "address": s.address, "brand": s.brand, "reception_days": s.reception_days,
            "phone": s.phone}
