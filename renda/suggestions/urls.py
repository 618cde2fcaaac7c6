"""The workspace URLs of suggestion handling (/suggestions/…), one namespace, assembled from:
urls_work (deputies, the office, units) and urls_stats (statistics, exports, the annual report)."""

from . import urls_stats

app_name = "suggestions"
urlpatterns = [*urls_stats.urlpatterns]
