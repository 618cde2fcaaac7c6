"""The URLs of suggestion handling (/suggestions/…), one namespace, assembled from:
urls_work (deputies, the office, units, the public pages) and urls_stats (statistics, exports, documents)."""

from . import urls_stats, urls_work

app_name = "suggestions"
urlpatterns = [*urls_stats.urlpatterns, *urls_work.urlpatterns]
