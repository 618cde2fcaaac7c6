import pytest

from renda.accounts.models import RoleAssignment, User
from renda.accounts.selectors import assignment_active_for


@pytest.fixture
def congress(db):
    from renda.org.models import Congress

    return Congress.objects.create(name="太仓市人民代表大会", short_name="太仓市人大", kind="city", body_name="常委会")


@pytest.fixture
def make_user(congress):
    def make(name, *, role="staff", phone="13812345678", email=None):
        user = User.objects.create_user(username=name, password="pw-12345678", phone=phone,
                                        email=f"{name}@example.org" if email is None else email)
        if role:
            RoleAssignment.objects.create(user=user, role=role, congress=congress)
        user.active_assignment = assignment_active_for(user=user)
        return user

    return make


@pytest.fixture
def outbox_dir(tmp_path, settings):
    settings.RENDA_OUTBOX_DIR = tmp_path / "outbox"
    settings.RENDA_SENDERS = {"email": "renda.core.notify.senders.FileSender",
                              "sms": "renda.core.notify.senders.FileSender"}
    return settings.RENDA_OUTBOX_DIR
