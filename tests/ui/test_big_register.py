"""The register model against a 100,000-directive database: counts, both ends, sort, search, by-id lookup.

Speed is measured in benchmarks/register.py, not here; this checks that nothing breaks or loads
everything at that size.
"""

import pytest

from parclerk.data import db as dbmod
from parclerk.queries import DirectiveQuery
from parclerk.services.demo import build_demo
from parclerk.ui.models.directive_table import COLUMNS, DirectiveTableModel
from parclerk.ui.models.lazy_table import FIRST_IDS
from parclerk.vntext import sort_key

pytestmark = pytest.mark.slow
SUBJECT = next(i for i, c in enumerate(COLUMNS) if c.key == "subject")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    build_demo(path, generated=100_000, seed=11)
    conn = dbmod.connect(path, read_only=True)
    yield conn
    conn.close()


def test_first_paint_reads_only_the_first_ids(big):
    model = DirectiveTableModel(big)
    model.reload()
    assert model.rowCount() == 100_003
    assert len(model._ids) == FIRST_IDS  # the rest is read only when a row past them is needed
    assert model.index(0, 0).data()
    assert model.index(100_002, 0).data() == "1"  # the oldest entry of its year, at the bottom
    assert len(model._ids) == 100_003


def test_sort_and_search_at_size(big):
    model = DirectiveTableModel(big)
    model.set_query(DirectiveQuery(sort="subject", descending=False))
    top = [model.index(r, SUBJECT).data() for r in range(50)]
    assert top == sorted(top, key=sort_key)
    model.set_query(DirectiveQuery(text="dang van minh"))
    assert 0 < model.rowCount() < 100_003
    hits = [model.index(r, SUBJECT).data() for r in range(model.rowCount())]
    assert any("Đặng Văn Minh" in h for h in hits)


def test_row_of_finds_a_deep_row(big):
    model = DirectiveTableModel(big)
    model.reload()
    deep_id = big.execute("SELECT min(id) FROM directives").fetchone()[0]
    row = model.row_of(deep_id)
    assert row is not None and model.id_at(row) == deep_id
