"""The workspace URLs of the channel (/opinions/…), one namespace, assembled from three files:
urls_handle (deputies, stations, units), urls_staff (the office's list and actions), urls_stats."""

from . import urls_handle, urls_keys, urls_staff, urls_stats

app_name = "opinions"
urlpatterns = [*urls_handle.urlpatterns, *urls_staff.urlpatterns, *urls_stats.urlpatterns,
               *urls_keys.urlpatterns]
