"""The meeting pages."""

urlpatterns: list = []
