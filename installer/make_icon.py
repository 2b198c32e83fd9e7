"""Draw resources/icons/parclerk.ico (the .exe, installer and window icon): a register page with a red seal on a
blue tile. Each size is drawn on its own (not scaled down from 256 px) so the small ones stay crisp.

    .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons" / "parclerk.ico"
SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]
BLUE, PAGE, INK, RED = (31, 78, 156, 255), (255, 255, 255, 255), (120, 134, 160, 255), (200, 32, 40, 255)


def draw(size: int) -> Image.Image:
    scale = 4  # draw large, then downsample: smooth edges at every size
    n = size * scale
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return round(x0 * n), round(y0 * n), round(x1 * n), round(y1 * n)

    d.rounded_rectangle(box(0.02, 0.02, 0.98, 0.98), radius=round(0.18 * n), fill=BLUE)
    d.rounded_rectangle(box(0.22, 0.12, 0.78, 0.88), radius=round(0.05 * n), fill=PAGE)
    lines = 3 if size < 32 else 5
    for i in range(lines):
        y = 0.24 + i * (0.42 / (lines - 1))
        right = 0.68 if i % 2 == 0 else 0.58
        d.rectangle(box(0.31, y, right, y + (0.06 if size < 32 else 0.04)), fill=INK)
    d.ellipse(box(0.50, 0.56, 0.86, 0.92), fill=RED)
    if size >= 24:
        d.ellipse(box(0.56, 0.62, 0.80, 0.86), outline=PAGE, width=max(scale, round(0.025 * n)))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def entry(image: Image.Image) -> bytes:
    """One icon image as Windows stores it: PNG from 128 px, a 32-bit BMP (DIB) below, which every consumer of .ico
    files (Explorer, the resource compilers of PyInstaller and Inno Setup) reads."""
    buffer = io.BytesIO()
    if image.width >= 128:
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    image.save(buffer, format="ICO", sizes=[image.size], bitmap_format="bmp")
    data = buffer.getvalue()
    size, offset = struct.unpack_from("<II", data, 6 + 8)  # the single directory entry's size and offset
    return data[offset : offset + size]


def main() -> None:
    blobs = [(size, entry(draw(size))) for size in SIZES]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    directory, offset = b"", len(header) + 16 * len(blobs)
    for size, blob in blobs:
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(header + directory + b"".join(blob for _, blob in blobs))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, sizes {SIZES})")


if __name__ == "__main__":
    main()
