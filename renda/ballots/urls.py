"""The voter's pages (/ballots/…)."""

app_name = "ballots"
urlpatterns: list = []
