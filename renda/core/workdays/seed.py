"""Seed data: the State Council schedules 2004–2026 (from chinesecalendar) and the default policies.

Both functions take the model classes as arguments so the data migration can pass its historical
models, and both are idempotent (existing rows are left alone: staff edits win over the seed).
"""

import datetime

SEED_FIRST_YEAR = 2004
SEED_LAST_YEAR = 2026

# chinesecalendar names festivals in English; these are the names the explanations show.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

# code, label, unit, amount, description. Norms from DOMAIN.md; staff can change each of them.
DEFAULT_POLICIES = [
    ("opinion_accept", "群众意见受理", "working_days", 1, "代表或联络站收到群众意见后受理"),
    ("opinion_reply", "群众意见承办单位答复", "working_days", 15, "承办单位收到转交意见后答复"),
    ("opinion_rehandle", "群众意见重新办理", "working_days", 10, "群众不满意后重新办理"),
    ("opinion_answer", "群众意见转办后答复群众", "working_days", 3, "承办单位全部答复后，代表或联络站答复群众"),
    ("suggestion_sign", "代表建议签收或申请调整", "working_days", 7, "承办单位签收或申请重新交办"),
    ("suggestion_reply", "代表建议答复", "calendar_months", 3, "自交办之日起三个月内答复"),
    ("suggestion_rehandle", "代表建议重新办理答复", "calendar_months", 1, "代表不满意后一个月内重新答复"),
    ("coop_views", "协办单位向主办单位提出意见", "calendar_months", 1, "协办单位一个月内提出协办意见"),
    ("review_opinion_send", "审议意见交办", "working_days", 5, "常委会审议意见五个工作日内送交"),
]


def package_schedule(first_year: int = SEED_FIRST_YEAR, last_year: int = SEED_LAST_YEAR):
    """(date, kind, name) for every dated entry chinesecalendar has in the given years."""
    import chinese_calendar

    rows = []
    for table, kind in ((chinese_calendar.holidays, "holiday"), (chinese_calendar.workdays, "workday")):
        for day, english in table.items():
            if isinstance(day, datetime.datetime):
                day = day.date()
            if first_year <= day.year <= last_year:
                rows.append((day, kind, FESTIVAL_NAMES.get(english, english)))
    rows.sort()
    return rows


def package_years() -> set[int]:
    """The years chinesecalendar covers (it raises NotImplementedError outside them)."""
    import chinese_calendar

    return {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


def seed_calendar(Holiday, CalendarYear, CalendarRevision, *, token: str) -> int:
    existing = set(Holiday.objects.values_list("date", flat=True))
    new = [Holiday(date=d, kind=k, name=n, source="seed") for d, k, n in package_schedule() if d not in existing]
    Holiday.objects.bulk_create(new, batch_size=500)
    for year in range(SEED_FIRST_YEAR, SEED_LAST_YEAR + 1):
        CalendarYear.objects.update_or_create(year=year, defaults={"entered": True})
    if not CalendarRevision.objects.exists():
        CalendarRevision.objects.create(token=token)
    else:
        CalendarRevision.objects.update(token=token)
    return len(new)


def seed_policies(DeadlinePolicy) -> int:
    created = 0
    for code, label, unit, amount, description in DEFAULT_POLICIES:
        _, was_created = DeadlinePolicy.objects.get_or_create(
            code=code,
            defaults={"label": label, "unit": unit, "amount": amount, "description": description,
                      "roll_to_workday": True},
        )
        created += was_created
    return created
