"""See renda/suggestions/urls.py: the statistics page, its exports and the annual report."""

urlpatterns: list = []
