"""Printable QR posters (码上见代表): scan with a phone, land on the deputy's or station's submit page.

PNG with Pillow (an A4 page at 150 dpi), PDF with WeasyPrint from an HTML template with the QR
code as a data: URI. Chinese needs a CJK font: found with fontconfig at run time (fonts-noto-cjk
on Debian); without one the PNG still carries the QR code, which is what matters.
"""

import functools
import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont

from renda.core.qr import qr_image, qr_png_data_uri

FALLBACK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# A4 at 150 dpi: sharp enough to print, small enough to send.
A4_PX = (1240, 1754)
RED = (155, 28, 28)
INK = (33, 37, 41)
MUTED = (90, 90, 90)
POSTER_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class Poster:
    congress: str  # 太仓市人大代表 / 沙溪镇人民代表大会
    name: str  # the deputy's or the station's name
    lines: list[str] = field(default_factory=list)  # address, reception days…
    call: str = ""  # 扫码向代表反映意见
    url: str = ""  # the absolute submit URL the QR code opens


@functools.cache
def cjk_font_path() -> str | None:
    """A font file that has Chinese glyphs, or None."""
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True,
                                 text=True, timeout=5, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and "CJK" in out.upper() and Path(out).exists():
            return out
    return FALLBACK_FONT if Path(FALLBACK_FONT).exists() else None


def _font(size: int):
    path = cjk_font_path()
    if path is None:
        return None
    try:
        return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)  # index 2: SC
    except OSError:
        return None


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill) -> int:
    font = _font(size)
    if font is None or not text:
        return y
    width = A4_PX[0] - 160
    # Wrap long names and addresses by characters (Chinese has no spaces to break at).
    lines, current = [], ""
    for ch in text:
        if draw.textlength(current + ch, font=font) > width and current:
            lines.append(current)
            current = ch
        else:
            current += ch
    lines.append(current)
    for line in lines:
        w = draw.textlength(line, font=font)
        draw.text(((A4_PX[0] - w) / 2, y), line, font=font, fill=fill)
        y += int(size * 1.4)
    return y


def _cached(kind: str, poster: Poster, build) -> bytes:
    """Posters change only when a name or address does: keep the bytes for a day, keyed by content."""
    key = "poster:" + kind + ":" + hashlib.sha256(repr(poster).encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = build(poster)
        cache.set(key, data, POSTER_CACHE_SECONDS)
    return data


def poster_png(poster: Poster) -> bytes:
    return _cached("png", poster, _poster_png)


def poster_pdf(poster: Poster) -> bytes:
    return _cached("pdf", poster, _poster_pdf)


def _poster_png(poster: Poster) -> bytes:
    img = Image.new("RGB", A4_PX, "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, A4_PX[0], 150], fill=RED)
    font = _font(56)
    if font is not None:
        w = draw.textlength(poster.congress, font=font)
        draw.text(((A4_PX[0] - w) / 2, 42), poster.congress, font=font, fill="white")
    y = _centered(draw, 230, poster.name, 84, INK)
    y = _centered(draw, y + 30, poster.call, 64, RED)
    qr = qr_image(poster.url, box_size=16)
    side = 760
    qr = qr.resize((side, side), Image.NEAREST)
    qy = max(y + 40, 560)
    img.paste(qr, ((A4_PX[0] - side) // 2, qy))
    y = qy + side + 40
    for line in poster.lines:
        y = _centered(draw, y, line, 40, MUTED)
    _centered(draw, A4_PX[1] - 110, poster.url, 28, MUTED)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True, dpi=(150, 150))
    return buf.getvalue()


def _poster_pdf(poster: Poster) -> bytes:
    from weasyprint import HTML

    html = render_to_string("opinions/public/poster_pdf.html", {"poster": poster,
                                                                "qr": qr_png_data_uri(poster.url)})
    return HTML(string=html).write_pdf()
