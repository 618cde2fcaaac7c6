"""The public side of the channel: submit, track, rate, published opinions, QR posters."""

app_name = "voice"
urlpatterns: list = []
