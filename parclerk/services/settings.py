"""The office profile (Cài đặt): who this office is, for the register, reports and the date line."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

from parclerk import glossary, vntext
from parclerk.errors import ValidationError
from parclerk.models import OfficeProfile
from parclerk.queries import Changes

if TYPE_CHECKING:
    from sqlite_utils import Database

PROFILE_KEY = "office_profile"


def get_setting(db: Database, key: str, default: object = None) -> object:
    rows = list(db.query("SELECT value FROM settings WHERE key = ?", [key]))
    return json.loads(rows[0]["value"]) if rows else default


def put_setting(db: Database, key: str, value: object) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value, ensure_ascii=False)],
    )


def get_profile(db: Database) -> OfficeProfile:
    stored = get_setting(db, PROFILE_KEY, {})
    assert isinstance(stored, dict)
    known = {f.name for f in dataclasses.fields(OfficeProfile)}
    return OfficeProfile(**{k: v for k, v in stored.items() if k in known})


def validate_profile(profile: OfficeProfile) -> OfficeProfile:
    values = {f.name: vntext.clean_line(getattr(profile, f.name)) for f in dataclasses.fields(OfficeProfile)}
    errors: dict[str, str] = {}
    labels = glossary.PROFILE_LABELS
    if not values["unit_name"]:
        errors[labels["unit_name"]] = f"Chưa nhập “{labels['unit_name']}”."
    if not values["place_name"]:
        errors[labels["place_name"]] = f"Chưa nhập “{labels['place_name']}” (ví dụ: Quảng Ngãi)."
    if values["level"] not in glossary.LEVELS:
        errors[labels["level"]] = "Cấp đơn vị không hợp lệ."
    for name, value in values.items():
        if len(value) > 200:
            errors[labels[name]] = f"“{labels[name]}” dài quá 200 ký tự."
    if errors:
        raise ValidationError(errors)
    return OfficeProfile(**values)


def save_profile(db: Database, profile: OfficeProfile) -> Changes:
    clean = validate_profile(profile)
    with db.atomic():
        put_setting(db, PROFILE_KEY, dataclasses.asdict(clean))
    return Changes(settings=True)
