"""A Decree 30 document (Nghị định 30/2020/NĐ-CP, Phụ lục I) as plain values: the page, the letterhead,
the body blocks, the recipients and the signature. `parclerk.reports.render` turns one into a .docx through
the clerk-editable template in resources/templates/; nothing here imports docx.

Values are kept as the caller wrote them; the renderer applies the decree's conventions (upper case where
the decree asks for it, "- " and ";" / "." on recipient lines, "./." after the body, the date line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from parclerk.errors import ValidationError

Align = Literal["left", "center", "right", "justify"]
Cell = str | int | float | None

# Phụ lục I, II.1 of the decree: margins in millimetres, body text size in points.
MARGIN_RANGES_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
BODY_SIZES = (13, 14)
A4_MM = (210, 297)

_MARGIN_LABELS = {"top": "Lề trên", "bottom": "Lề dưới", "left": "Lề trái", "right": "Lề phải"}


@dataclass(frozen=True)
class PageLayout:
    """A4 portrait with the decree's margins (mm) and the body text size (13 or 14 pt)."""

    top_mm: float = 20
    bottom_mm: float = 20
    left_mm: float = 30
    right_mm: float = 15
    body_size: int = 14

    def __post_init__(self) -> None:
        problems = {}
        for side, (low, high) in MARGIN_RANGES_MM.items():
            value = getattr(self, f"{side}_mm")
            if not low <= value <= high:
                label = _MARGIN_LABELS[side]
                problems[label] = (
                    f"{label} phải từ {low} đến {high} mm theo Nghị định 30/2020/NĐ-CP "
                    f"(đang là {_mm(value)} mm)."
                )
        if self.body_size not in BODY_SIZES:
            problems["Cỡ chữ"] = (
                f"Cỡ chữ nội dung phải là 13 hoặc 14 theo Nghị định 30/2020/NĐ-CP (đang là {self.body_size})."
            )
        if problems:
            raise ValidationError(problems)

    @property
    def text_width_mm(self) -> float:
        return A4_MM[0] - self.left_mm - self.right_mm


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True, kw_only=True)
class Letterhead:
    """The header: parent body (optional), issuing body, number and symbol, place and date.

    `issuing_body` may hold a line break ("ỦY BAN NHÂN DÂN\\nXÃ SƠN TÂY"). An empty `number_symbol`, or one
    without a number ("/BC-UBND", "BC-UBND"), leaves a blank for the number on a draft. `issuer_name` is the
    issuing body in running text ("Ủy ban nhân dân xã Sơn Tây"), used in an annex's "(Kèm theo … của …)".
    """

    issuing_body: str
    place: str
    date: dt.date
    parent_body: str = ""
    number_symbol: str = ""
    issuer_name: str = ""


@dataclass(frozen=True, kw_only=True)
class Signature:
    """The signature block: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" / name."""

    title: str
    name: str
    authority: str = ""
    deputy: str = ""


@dataclass(frozen=True)
class Heading:
    """A section heading, numbered by the caller: 1 = "I. CÔNG TÁC …", 2 = "1. …", 3 = "a) …"."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValidationError({"Đề mục": f"Cấp đề mục phải là 1, 2 hoặc 3 (đang là {self.level})."})


@dataclass(frozen=True)
class Paragraph:
    """Body text. Each line of `text` becomes its own paragraph (justified, first-line indent)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A bordered table. `columns` is the header row (empty for none); with `header_rows` = 2 the first row
    of `rows` is a header too (the "(1) (2) (3)" numbering row). Header rows are bold, centred and repeated
    on every page. `widths_mm` are relative: the table always spans the text width. `align` gives each
    column's alignment (default: left)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths_mm: Sequence[float] | None = None
    header_rows: int = 1
    align: Sequence[Align] | None = None

    def __post_init__(self) -> None:
        count = len(self.columns) or (len(self.rows[0]) if self.rows else 0)
        label = "Bảng"
        if count == 0:
            raise ValidationError({label: "Bảng phải có ít nhất một cột."})
        for number, row in enumerate(self.rows, start=1):
            if len(row) != count:
                raise ValidationError(
                    {label: f"Dòng {number} của bảng có {len(row)} ô, bảng có {count} cột."}
                )
        if self.widths_mm is not None and (
            len(self.widths_mm) != count or any(width <= 0 for width in self.widths_mm)
        ):
            raise ValidationError(
                {label: f"Bảng có {count} cột: cần đúng {count} độ rộng cột, mỗi số lớn hơn 0."}
            )
        if self.align is not None and (
            len(self.align) != count
            or any(a not in ("left", "center", "right", "justify") for a in self.align)
        ):
            raise ValidationError({label: f"Bảng có {count} cột: cần đúng {count} kiểu căn lề."})
        if not 0 <= self.header_rows <= (1 if self.columns else 0) + len(self.rows):
            raise ValidationError({label: f"Số dòng tiêu đề ({self.header_rows}) vượt quá số dòng của bảng."})

    @property
    def column_count(self) -> int:
        return len(self.columns) or len(self.rows[0])


@dataclass(frozen=True)
class PageBreak:
    pass


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Picture:
    """A picture (PNG bytes) centred on its own line, at most the text width; an optional caption below it."""

    png: bytes
    width_mm: float | None = None  # None: the text width
    caption: str = ""

    def __post_init__(self) -> None:
        label = "Hình"
        if not isinstance(self.png, bytes | bytearray) or not bytes(self.png).startswith(PNG_SIGNATURE):
            raise ValidationError({label: "Hình chèn vào văn bản phải là ảnh PNG."})
        if self.width_mm is not None and not self.width_mm > 0:
            raise ValidationError(
                {label: f"Độ rộng của hình phải lớn hơn 0 mm (đang là {_mm(self.width_mm)})."}
            )


Block = Heading | Paragraph | Table | PageBreak | Picture


@dataclass(frozen=True, kw_only=True)
class Annex:
    """A phụ lục: its own page (and page numbers), "Phụ lục I", the title in upper case, the
    "(Kèm theo Báo cáo số … ngày … của …)" line, then the blocks. `note` replaces that line when given."""

    title: str
    blocks: Sequence[Block] = ()
    number: str = ""
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Document:
    """A document with a type name (Mẫu 1.4): by default a BÁO CÁO.

    `kinh_gui` lists the direct addressees (empty: no "Kính gửi:" line); `recipients` the lines under
    "Nơi nhận:" ("Như trên", …, "Lưu: VT"), without the "- " and the final ";" or ".".
    """

    title: str
    letterhead: Letterhead
    signature: Signature
    blocks: Sequence[Block] = ()
    kinh_gui: Sequence[str] = ()
    recipients: Sequence[str] = ()
    annexes: Sequence[Annex] = ()
    kind_name: str = "BÁO CÁO"
