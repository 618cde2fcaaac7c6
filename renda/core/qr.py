"""QR codes as images (the opinion posters, the meeting check-in screen)."""

import base64
import io

import qrcode
from PIL import Image


def qr_image(url: str, *, box_size: int = 12) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def qr_png_data_uri(url: str) -> str:
    buf = io.BytesIO()
    qr_image(url).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
