"""See renda/opinions/urls.py."""

urlpatterns: list = []
