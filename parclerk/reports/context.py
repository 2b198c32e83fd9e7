"""Pure builders shared by every report: the letterhead, signature block and recipients from the office
profile, and the wording of figures ("05 văn bản", "85,71%"). No docx here: testable without a template."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from parclerk import vntext
from parclerk.criteria import format_percent
from parclerk.errors import ValidationError
from parclerk.models import OfficeProfile
from parclerk.reports.document import Letterhead, Signature


def require_profile(profile: OfficeProfile) -> None:
    """A report needs the office's name and place; say where to fill them in."""
    if profile.is_empty or not profile.place_name.strip():
        raise ValidationError(
            {
                "Thông tin đơn vị": "Chưa có tên đơn vị hoặc địa danh: hãy điền “Thông tin đơn vị” (menu Công cụ) "
                "trước khi lập báo cáo."
            }
        )


def issuing_body(profile: OfficeProfile) -> str:
    """'Ủy ban nhân dân xã Sơn Tây' -> 'ỦY BAN NHÂN DÂN\\nXÃ SƠN TÂY' (the name on two lines, Phụ lục III)."""
    name = vntext.clean_line(profile.unit_name)
    folded = vntext.fold(name)
    for prefix in ("uy ban nhan dan", "hoi dong nhan dan"):
        if folded.startswith(prefix + " "):
            head = name[: len(prefix)]
            return f"{head}\n{name[len(prefix) :].strip()}".upper()
    return name.upper()


def letterhead(profile: OfficeProfile, day: dt.date, number_symbol: str = "") -> Letterhead:
    require_profile(profile)
    return Letterhead(
        issuing_body=issuing_body(profile),
        place=profile.place_name,
        date=day,
        parent_body=profile.parent_name.upper(),
        number_symbol=number_symbol,
        issuer_name=profile.unit_name,
    )


def symbol(profile: OfficeProfile, kind_abbrev: str = "BC") -> str:
    """'BC-UBND': the ký hiệu of the office's reports (its number comes from the Sổ văn bản đi)."""
    return f"{kind_abbrev}-{profile.unit_abbrev or 'UBND'}"


def draft_symbol(profile: OfficeProfile, kind_abbrev: str = "BC") -> str:
    """'/BC-UBND': the symbol of a report before it has its number."""
    return "/" + symbol(profile, kind_abbrev)


def signature(profile: OfficeProfile) -> Signature:
    """From the profile: 'TM. ỦY BAN NHÂN DÂN' / 'Chủ tịch' / name; a 'Phó …' signs as KT. of the head."""
    title = profile.signer_title or "Chủ tịch"
    deputy = ""
    if vntext.fold(title).startswith("pho "):
        deputy = "KT. " + title[4:].strip().upper()
    return Signature(
        authority=profile.signer_authority, deputy=deputy, title=title.upper(), name=profile.signer_name
    )


def recipients(profile: OfficeProfile, *extra: str) -> list[str]:
    """Nơi nhận of a report sent upward: 'Như trên', the others, then 'Lưu: VT'."""
    lines = ["Như trên"] if profile.reports_to else []
    lines += [line for line in extra if line]
    lines.append("Lưu: VT")
    return lines


def count(n: int, noun: str) -> str:
    """05 văn bản / 12 nhiệm vụ: counts below 10 take a leading zero, as administrative reports write them."""
    return f"{n:02d} {noun}" if 0 < n < 10 else f"{n} {noun}"


def rate(part: int, whole: int) -> str:
    """'85,71%' (two decimals, half up); '0%' when there is nothing to divide."""
    if whole <= 0:
        return "0%"
    return format_percent(
        (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )
