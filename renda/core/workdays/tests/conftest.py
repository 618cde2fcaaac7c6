import datetime
import uuid

import pytest

from renda.accounts.models import RoleAssignment, User
from renda.accounts.selectors import assignment_active_for
from renda.core.workdays.calendar import WorkCalendar
from renda.core.workdays.seed import SEED_FIRST_YEAR, SEED_LAST_YEAR, package_schedule


@pytest.fixture(scope="session")
def pkg_calendar() -> WorkCalendar:
    """The pure calendar straight from chinesecalendar: no database involved."""
    holidays, workdays = {}, {}
    for day, kind, name in package_schedule():
        (workdays if kind == "workday" else holidays)[day] = name
    return WorkCalendar(holidays=holidays, workdays=workdays,
                        entered_years=frozenset(range(SEED_FIRST_YEAR, SEED_LAST_YEAR + 1)))


@pytest.fixture
def seeded(db):
    """The seeded holiday table and policies. The data migration writes them; a transactional test
    elsewhere in the suite may have flushed them, so put them back if they are gone."""
    from renda.core.workdays.models import CalendarRevision, CalendarYear, DeadlinePolicy, Holiday
    from renda.core.workdays.seed import seed_calendar, seed_policies

    if not Holiday.objects.filter(date=datetime.date(2026, 10, 1)).exists():
        seed_calendar(Holiday, CalendarYear, CalendarRevision, token=uuid.uuid4().hex)
    seed_policies(DeadlinePolicy)


def as_role(user):
    """What ActiveRoleMiddleware does for a request."""
    user.active_assignment = assignment_active_for(user=user)
    return user


class World:
    pass


@pytest.fixture
def wd_world(seeded):
    from renda.org.models import Congress, Office, Unit

    w = World()
    w.congress = Congress.objects.create(name="太仓市人民代表大会", short_name="太仓市人大", kind="city",
                                         body_name="常委会")
    w.other_congress = Congress.objects.create(name="沙溪镇人民代表大会", short_name="沙溪镇人大", kind="town",
                                               body_name="主席团", parent=w.congress)
    w.office = Office.objects.create(congress=w.congress, name="办公室", code="bgs", supervises=True)
    w.rep_office = Office.objects.create(congress=w.congress, name="代表工委", code="dbgw")
    w.unit = Unit.objects.create(congress=w.congress, name="太仓市住房和城乡建设局")

    def user(name, role=None, **scope):
        u = User.objects.create_user(username=name, password="pw-12345678", display_name=name,
                                     phone="13800000000", email=f"{name}@example.org")
        if role:
            RoleAssignment.objects.create(user=u, role=role, congress=scope.pop("congress", w.congress), **scope)
        return as_role(u)

    w.staff = user("staff", "staff", office=w.office)
    w.rep_staff = user("rep_staff", "staff", office=w.rep_office)
    w.town_staff_office = Office.objects.create(congress=w.other_congress, name="镇人大办", code="zrdb",
                                                supervises=True)
    w.town_staff = user("town_staff", "staff", office=w.town_staff_office, congress=w.other_congress)
    w.director = user("director", "director")
    w.unit_user = user("unit_user", "unit", unit=w.unit)
    w.discipline = user("discipline", "discipline")
    w.nobody = user("nobody")
    w.admin = User.objects.create_superuser(username="root", password="pw-12345678", email="root@example.org")
    return w
