"""The schema, as forward-only migrations.

Each migration is one logical change, named m0001_..., and is never renamed, edited or reordered once
shipped: sqlite-utils records the name as applied. `KNOWN` lists the names in order and can be read
without importing sqlite-utils, so start-up can tell cheaply that nothing is pending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "parclerk"
MigrationFn = Callable[["Database"], None]
_REGISTERED: list[tuple[str, MigrationFn]] = []


def migration(fn: MigrationFn) -> MigrationFn:
    _REGISTERED.append((fn.__name__, fn))
    return fn


@migration
def m0001_create_register(db: Database) -> None:
    """Settings, the incoming-document register with its yearly số đến counter, and attachments."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE TABLE so_den_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)")
    db.execute(
        """
        CREATE TABLE directives (
            id INTEGER PRIMARY KEY,
            so_den INTEGER NOT NULL,
            so_den_year INTEGER NOT NULL,
            ngay_den TEXT NOT NULL,
            issuer TEXT NOT NULL,
            number TEXT NOT NULL DEFAULT '',
            issued_date TEXT,
            issued_place TEXT NOT NULL DEFAULT '',
            doc_type TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL,
            signer TEXT NOT NULL DEFAULT '',
            signer_title TEXT NOT NULL DEFAULT '',
            urgency INTEGER NOT NULL DEFAULT 0 CHECK (urgency BETWEEN 0 AND 3),
            secrecy INTEGER NOT NULL DEFAULT 0 CHECK (secrecy BETWEEN 0 AND 3),
            assigned_to TEXT NOT NULL DEFAULT '',
            handed_date TEXT,
            deadline TEXT,
            handled_date TEXT,
            reply_number TEXT NOT NULL DEFAULT '',
            page_count INTEGER,
            file_code TEXT NOT NULL DEFAULT '',
            direction TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            cancelled INTEGER NOT NULL DEFAULT 0,
            cancel_reason TEXT NOT NULL DEFAULT '',
            cancelled_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            issuer_fold TEXT NOT NULL DEFAULT '',
            number_fold TEXT NOT NULL DEFAULT '',
            issuer_sort TEXT NOT NULL DEFAULT '',
            subject_sort TEXT NOT NULL DEFAULT '',
            doc_type_sort TEXT NOT NULL DEFAULT '',
            assigned_to_sort TEXT NOT NULL DEFAULT '',
            search_fold TEXT NOT NULL DEFAULT '',
            UNIQUE (so_den_year, so_den)
        )
        """
    )
    for columns in (
        "ngay_den",
        "issued_date",
        "deadline",
        "issuer_sort",
        "subject_sort",
        "doc_type_sort",
        "assigned_to_sort",
        "issuer_fold",
        "number_fold, issuer_fold",
        "number",
        "urgency",
    ):
        name = "idx_directives_" + columns.replace(", ", "_")
        db.execute(f"CREATE INDEX {name} ON directives ({columns})")
    db.execute(
        """
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            directive_id INTEGER NOT NULL REFERENCES directives(id),
            sha256 TEXT NOT NULL,
            original_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (directive_id, sha256)
        )
        """
    )
    db.execute("CREATE INDEX idx_attachments_directive ON attachments (directive_id)")
    db["directives"].enable_fts(
        ["search_fold"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2", create_triggers=True
    )


@migration
def m0002_add_tasks(db: Database) -> None:
    """Tasks a directive assigns (or the office's own), and the header lists the parser reads.

    A task has one lead unit and any number of coordinating units (a JSON list), a deadline as a date
    and as written, an optional recurrence, and whether it concerns this office at all.
    """
    for column in ("recipients", "noi_nhan", "related_documents"):
        db.execute(f"ALTER TABLE directives ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            directive_id INTEGER REFERENCES directives(id),
            position INTEGER NOT NULL DEFAULT 0,
            ref TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL,
            lead_unit TEXT NOT NULL DEFAULT '',
            coordinating_units TEXT NOT NULL DEFAULT '[]',
            deadline TEXT,
            deadline_text TEXT NOT NULL DEFAULT '',
            recurrence TEXT CHECK (recurrence IN ('monthly', 'quarterly', 'semiannual', 'annual')),
            concerns_office INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
            completed_date TEXT,
            reply_number TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_tasks_directive ON tasks (directive_id, position)")
    db.execute("CREATE INDEX idx_tasks_deadline ON tasks (deadline)")
    # Issuer keys now spell out UBND / HĐND / MTTQ, so "UBND tỉnh X" and "Ủy ban nhân dân tỉnh X" match.
    from parclerk.data.repo_directives import refresh_derived

    refresh_derived(db)


@migration
def m0003_add_task_tracking(db: Database) -> None:
    """What task tracking needs: a list of units with aliases, one work item per task and per period of a
    recurring duty (each with its own due date and status), and dated progress notes that are never
    overwritten. Every existing task gets its single work item."""
    db.execute(
        """
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            name_fold TEXT NOT NULL UNIQUE,
            name_sort TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1
        )
        """
    )
    db.execute(
        """
        CREATE TABLE unit_aliases (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            alias TEXT NOT NULL,
            alias_fold TEXT NOT NULL UNIQUE
        )
        """
    )
    db.execute("ALTER TABLE tasks ADD COLUMN lead_unit_id INTEGER REFERENCES units(id)")
    db.execute("ALTER TABLE tasks ADD COLUMN follower TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE tasks ADD COLUMN lead_unit_fold TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE tasks ADD COLUMN search_fold TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX idx_tasks_lead_unit ON tasks (lead_unit_fold)")
    db.execute(
        """
        CREATE TABLE task_items (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            period_key TEXT NOT NULL DEFAULT '',
            period_label TEXT NOT NULL DEFAULT '',
            due_date TEXT,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            completed_date TEXT,
            reply_number TEXT NOT NULL DEFAULT '',
            scope INTEGER NOT NULL DEFAULT 2,
            due_sort TEXT NOT NULL DEFAULT '9999-12-31',
            late INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (task_id, period_key)
        )
        """
    )
    # scope: 0 hidden (task or directive cancelled), 1 someone else's (only to know), 2 this office's.
    # due_sort: the due date, or '9999-12-31' for none, so "by deadline, undated last" uses an index.
    # late: done after its due date (kept on completion), so every bucket count is an index range.
    db.execute("CREATE INDEX idx_task_items_scope_due ON task_items (scope, due_sort)")
    db.execute("CREATE INDEX idx_task_items_scope_status_due ON task_items (scope, status, due_sort)")
    db.execute("CREATE INDEX idx_task_items_scope_status_late ON task_items (scope, status, late)")
    db.execute("CREATE INDEX idx_task_items_due ON task_items (due_date)")
    db.execute(
        """
        CREATE TABLE task_notes (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            item_id INTEGER REFERENCES task_items(id),
            note_date TEXT NOT NULL,
            note TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_task_notes_task ON task_notes (task_id, id)")
    db["tasks"].enable_fts(
        ["search_fold"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2", create_triggers=True
    )
    from parclerk import vntext

    for task_id, content, lead, ref in db.execute("SELECT id, content, lead_unit, ref FROM tasks").fetchall():
        db.execute(
            "UPDATE tasks SET lead_unit_fold = ?, search_fold = ? WHERE id = ?",
            [vntext.fold_body_name(lead), vntext.fold(f"{ref} {content} {lead}"), task_id],
        )
    # One-off tasks: one work item with the task's deadline and status. Recurring ones get theirs from the
    # calendar the first time the app runs (services.tasks.ensure_items).
    db.execute(
        """
        INSERT INTO task_items (task_id, period_key, due_date, due_sort, status, completed_date, reply_number, scope,
                                created_at, updated_at)
        SELECT t.id, '', t.deadline, coalesce(t.deadline, '9999-12-31'),
               CASE t.status WHEN 'done' THEN 'done' ELSE 'open' END, t.completed_date, t.reply_number,
               CASE WHEN d.cancelled = 1 THEN 0 WHEN t.concerns_office = 1 THEN 2 ELSE 1 END, t.created_at, t.updated_at
        FROM tasks t LEFT JOIN directives d ON d.id = t.directive_id
        WHERE t.recurrence IS NULL AND t.status != 'cancelled'
        """
    )
    db.execute(
        "UPDATE task_items SET late = (status = 'done' AND due_date IS NOT NULL AND completed_date > due_date)"
    )


@migration
def m0004_add_assessment(db: Database) -> None:
    """PAR INDEX self-assessment: criteria sets (a tree of criteria with maximum points in hundredths and
    the scoring rule as the province wrote it), assessments per set and year, scores with explanations,
    and evidence (a registered directive or a stored file, with a section/page locator and its date)."""
    db.execute(
        """
        CREATE TABLE criteria_sets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            year INTEGER NOT NULL,
            level TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            sample INTEGER NOT NULL DEFAULT 0,
            classifications TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE criteria (
            id INTEGER PRIMARY KEY,
            set_id INTEGER NOT NULL REFERENCES criteria_sets(id),
            position INTEGER NOT NULL,
            code TEXT NOT NULL,
            title TEXT NOT NULL,
            maximum INTEGER NOT NULL,
            rule_text TEXT NOT NULL DEFAULT '',
            survey INTEGER NOT NULL DEFAULT 0,
            evidence TEXT NOT NULL DEFAULT '',
            department TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'item' CHECK (kind IN ('item', 'bonus', 'penalty')),
            UNIQUE (set_id, code)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            set_id INTEGER NOT NULL REFERENCES criteria_sets(id),
            year INTEGER NOT NULL,
            unit_name TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (set_id, year)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE assessment_scores (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id),
            code TEXT NOT NULL,
            self_score INTEGER,
            appraised_score INTEGER,
            answer TEXT NOT NULL DEFAULT '',
            explanation TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            UNIQUE (assessment_id, code)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id),
            code TEXT NOT NULL,
            directive_id INTEGER REFERENCES directives(id),
            sha256 TEXT NOT NULL DEFAULT '',
            original_name TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            locator TEXT NOT NULL DEFAULT '',
            evidence_date TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_evidence_assessment ON evidence (assessment_id, code)")


@migration
def m0005_add_evidence_suggestions(db: Database) -> None:
    """Evidence carried over from last year's assessment comes in as a suggestion the clerk confirms
    (suggested = 1) rather than as this year's proof; a set's classifications stay JSON."""
    db.execute("ALTER TABLE evidence ADD COLUMN suggested INTEGER NOT NULL DEFAULT 0")


@migration
def m0006_add_reports(db: Database) -> None:
    """Reports the clerk writes (the narrative sections, saved so the next period starts from them) and the
    Sổ văn bản đi: each outgoing document takes the year's next number; a report that answers a task item
    closes it with that reference."""
    db.execute(
        """
        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('periodic', 'assessment', 'directive', 'units')),
            subject_key TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            narrative TEXT NOT NULL DEFAULT '{}',
            outline TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (kind, subject_key)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE outgoing (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            symbol TEXT NOT NULL,
            doc_type TEXT NOT NULL DEFAULT 'Báo cáo',
            issued_date TEXT NOT NULL,
            subject TEXT NOT NULL,
            recipients TEXT NOT NULL DEFAULT '',
            signer TEXT NOT NULL DEFAULT '',
            report_id INTEGER REFERENCES reports(id),
            task_item_id INTEGER REFERENCES task_items(id),
            file_name TEXT NOT NULL DEFAULT '',
            cancelled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (year, number)
        )
        """
    )
    db.execute("CREATE INDEX idx_outgoing_report ON outgoing (report_id)")


@migration
def m0007_add_submissions(db: Database) -> None:
    """Self-assessments travelling as files. A unit records each distinct content it exports (the version);
    a collecting office keeps the year's expected units, every submission it imported (a newer version
    marks the older one replaced, so the history stays) with its scores and the evidence it cites."""
    db.execute(
        """
        CREATE TABLE submission_exports (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id),
            version INTEGER NOT NULL,
            checksum TEXT NOT NULL,
            exported_at TEXT NOT NULL,
            file_name TEXT NOT NULL DEFAULT '',
            UNIQUE (assessment_id, version)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE collection_units (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            name TEXT NOT NULL,
            name_fold TEXT NOT NULL,
            name_sort TEXT NOT NULL DEFAULT '',
            expected INTEGER NOT NULL DEFAULT 1,
            ranked INTEGER NOT NULL DEFAULT 1,
            UNIQUE (year, name_fold)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES collection_units(id),
            set_id INTEGER NOT NULL REFERENCES criteria_sets(id),
            year INTEGER NOT NULL,
            unit_name TEXT NOT NULL,
            unit_level TEXT NOT NULL DEFAULT '',
            source_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            exported_at TEXT NOT NULL,
            checksum TEXT NOT NULL,
            data_checksum TEXT NOT NULL,
            package_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            app_version TEXT NOT NULL DEFAULT '',
            files_count INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            replaced_by INTEGER REFERENCES submissions(id)
        )
        """
    )
    db.execute("CREATE INDEX idx_submissions_unit ON submissions (unit_id, replaced_by)")
    db.execute("CREATE INDEX idx_submissions_year ON submissions (year, replaced_by)")
    db.execute(
        """
        CREATE TABLE submission_scores (
            submission_id INTEGER NOT NULL REFERENCES submissions(id),
            code TEXT NOT NULL,
            score INTEGER,
            explanation TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (submission_id, code)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE submission_evidence (
            id INTEGER PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submissions(id),
            code TEXT NOT NULL,
            label TEXT NOT NULL,
            locator TEXT NOT NULL DEFAULT '',
            evidence_date TEXT,
            sha256 TEXT NOT NULL DEFAULT '',
            original_name TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX idx_submission_evidence ON submission_evidence (submission_id, code)")


# What m0008 audits. Per table: the owner key (whose history a change belongs to, {r} is old or new), the
# columns whose every change is recorded old -> new, and what an insert and a delete record: a tuple of
# columns summarised as one JSON value, FIELDS for one row per non-empty column, or () for nothing.
# Derived columns (*_fold, *_sort, scope, late, updated_at) are left out: they follow from the others.
# Frozen with the migration: a later change to what is audited is a new migration that recreates triggers.
FIELDS = "fields"
_AUDIT_M0008: dict[str, tuple[str, tuple[str, ...], tuple[str, ...] | str, tuple[str, ...] | str]] = {
    "directives": (
        "'directive:' || {r}.id",
        (
            "so_den",
            "ngay_den",
            "issuer",
            "number",
            "issued_date",
            "issued_place",
            "doc_type",
            "subject",
            "signer",
            "signer_title",
            "urgency",
            "secrecy",
            "assigned_to",
            "handed_date",
            "deadline",
            "handled_date",
            "reply_number",
            "page_count",
            "file_code",
            "direction",
            "notes",
            "cancelled",
            "cancel_reason",
            "recipients",
            "noi_nhan",
            "related_documents",
        ),
        ("so_den", "so_den_year", "number", "issuer"),
        ("so_den", "so_den_year", "number", "issuer"),
    ),
    "attachments": (
        "'directive:' || {r}.directive_id",
        (),
        ("original_name", "size"),
        ("original_name", "size"),
    ),
    "tasks": (
        "'task:' || {r}.id",
        (
            "directive_id",
            "ref",
            "content",
            "lead_unit",
            "coordinating_units",
            "deadline",
            "deadline_text",
            "recurrence",
            "concerns_office",
            "status",
            "completed_date",
            "reply_number",
            "follower",
        ),
        ("ref", "content", "lead_unit", "deadline"),
        ("ref", "content"),
    ),
    "task_items": (
        "'task:' || {r}.task_id",
        ("due_date", "status", "completed_date", "reply_number"),
        (),
        (),
    ),
    "assessment_scores": (
        "'score:' || {r}.assessment_id || ':' || {r}.code",
        ("self_score", "appraised_score", "answer", "explanation"),
        FIELDS,
        FIELDS,
    ),
    "evidence": (
        "'score:' || {r}.assessment_id || ':' || {r}.code",
        ("directive_id", "original_name", "description", "locator", "evidence_date", "suggested"),
        ("directive_id", "original_name", "description", "locator", "evidence_date", "suggested"),
        ("directive_id", "original_name", "description", "locator", "evidence_date", "suggested"),
    ),
    "settings": ("'setting:' || {r}.key", ("value",), FIELDS, FIELDS),
    "criteria_sets": (
        "'set:' || {r}.id",
        ("name", "classifications"),
        ("name", "year", "level"),
        ("name", "year"),
    ),
    "outgoing": (
        "'outgoing:' || {r}.id",
        ("number", "symbol", "doc_type", "issued_date", "subject", "recipients", "signer", "cancelled"),
        ("number", "year", "symbol", "subject"),
        ("number", "year", "symbol", "subject"),
    ),
    "units": ("'unit:' || {r}.id", ("name", "kind", "active"), ("name",), ("name",)),
    "collection_units": (
        "'collection:' || {r}.year",
        ("name", "expected", "ranked"),
        ("name", "expected", "ranked"),
        ("name",),
    ),
}
_AUDIT_INSERT = (
    "INSERT INTO audit_log (at, owner, tbl, row_id, action, field, old_value, new_value) "
    "SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), {owner}, '{table}', {r}.rowid, '{action}', "
)


def _audit_triggers(table: str, owner: str, updated: tuple[str, ...], inserted, deleted) -> list[str]:
    def fields(r: str, action: str, columns: tuple[str, ...], pair: str, where: str) -> str:
        union = " UNION ALL ".join(f"SELECT '{c}' AS f, {pair.format(c=c)}" for c in columns)
        head = _AUDIT_INSERT.format(owner=owner.format(r=r), table=table, r=r, action=action)
        return f"{head}f, o, n FROM ({union}) WHERE {where};"

    def summary(r: str, action: str, columns: tuple[str, ...], old: bool) -> str:
        value = "json_object(" + ", ".join(f"'{c}', {r}.{c}" for c in columns) + ")"
        head = _AUDIT_INSERT.format(owner=owner.format(r=r), table=table, r=r, action=action)
        return f"{head}'', {value if old else 'NULL'}, {'NULL' if old else value};"

    triggers = []
    if updated:
        body = fields("new", "update", updated, "old.{c} AS o, new.{c} AS n", "o IS NOT n")
        triggers.append(
            f"CREATE TRIGGER audit_{table}_update AFTER UPDATE OF {', '.join(updated)} ON {table} "
            f"BEGIN {body} END"
        )
    for action, r, spec in (("insert", "new", inserted), ("delete", "old", deleted)):
        if spec == FIELDS:
            pair = "NULL AS o, new.{c} AS n" if action == "insert" else "old.{c} AS o, NULL AS n"
            value = "n" if action == "insert" else "o"
            body = fields(r, action, updated, pair, f"{value} IS NOT NULL AND {value} != ''")
        elif spec:
            body = summary(r, action, spec, old=action == "delete")
        else:
            continue
        when = "AFTER INSERT" if action == "insert" else "AFTER DELETE"
        triggers.append(f"CREATE TRIGGER audit_{table}_{action} {when} ON {table} BEGIN {body} END")
    return triggers


@migration
def m0008_add_audit_log(db: Database) -> None:
    """The audit trail: every change to a directive, task, work item, score, evidence, setting, criteria
    set's classification, outgoing number or unit list, as one row per changed field (old and new value, when),
    written by triggers in the same transaction as the change, whatever code made it. Whose history a row
    belongs to is its owner key ('directive:12', 'task:5', 'score:3:1.2', 'setting:office_profile')."""
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            owner TEXT NOT NULL,
            tbl TEXT NOT NULL,
            row_id INTEGER,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            field TEXT NOT NULL DEFAULT '',
            old_value,
            new_value
        )
        """
    )
    db.execute("CREATE INDEX idx_audit_owner ON audit_log (owner, id)")
    for table, (owner, updated, inserted, deleted) in _AUDIT_M0008.items():
        for sql in _audit_triggers(table, owner, updated, inserted, deleted):
            db.execute(sql)


KNOWN: list[str] = [name for name, _ in _REGISTERED]


def build(name: str = MIGRATION_SET, upto: str | None = None):  # -> sqlite_utils.migrations.Migrations
    """The sqlite-utils migration set, built on demand (it costs an import of sqlite-utils).

    `upto` stops after that migration: tests use it to make databases of every earlier schema version.
    """
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(name)
    for migration_name, fn in _REGISTERED:
        migrations(name=migration_name)(fn)
        if migration_name == upto:
            break
    return migrations
