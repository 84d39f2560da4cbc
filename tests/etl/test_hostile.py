"""Files built to hurt the loader: each is refused with a Korean message, never a traceback, and the
warehouse stays byte-for-byte as it was. Odd but valid workbooks still load.

Speed is not asserted here (shared machine): the sheet XML cases are timed in
benchmarks/bench_hostile.py, where a quadratic scan shows as minutes against a linear one's seconds.
"""

import random
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl import intake
from etl.problems import Refused
from etl.read.workbook import open_book
from etl.returns.prepare import prepare
from tests.support import hostile as hb
from tests.support.returns import GOOD
from tests.support.state import snapshot
from tests.support.xlsx import as_excel_saves_it, write_xlsx
from warehouse.connection import open_connection


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A good return as Excel saves it (shared strings, styles, theme)."""
    tmp = tmp_path_factory.mktemp("src")
    return as_excel_saves_it(write_xlsx(tmp / "good.xlsx", GOOD))


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("plain") / "plain.xlsx", GOOD)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, plain):
    tmp = tmp_path_factory.mktemp("w")
    con = open_connection(tmp / "w.duckdb")
    intake.load(con, plain, intake.Actor(None))
    con.close()
    return tmp / "w.duckdb"


def refused_leaving_warehouse_as_it_was(db: Path, path: Path) -> Refused:
    """Load `path` into `db`; it must be Refused, and the file's bytes must not change."""
    before = db.read_bytes()
    con = duckdb.connect(str(db))  # the schema is in place: opening it writes nothing
    try:
        with pytest.raises(Refused) as caught:
            intake.load(con, path, intake.Actor(None))
    finally:
        con.close()
    assert db.read_bytes() == before
    problems = caught.value.problems
    assert problems and all(p.message_ko and p.fix_ko for p in problems)
    assert not any(str(path.parent) in p.message_ko + p.message_en for p in problems)
    return caught.value


@pytest.mark.parametrize("case", list(hb.HOSTILE_SHEETS), ids=list(hb.HOSTILE_SHEETS))
def test_sheet_xml_a_naive_scan_chokes_on_is_refused(warehouse, plain, tmp_path, case):
    path = hb.hostile_sheet(plain, tmp_path / "hostile.xlsx", hb.HOSTILE_SHEETS[case])
    assert path.stat().st_size < 25_000
    refused_leaving_warehouse_as_it_was(warehouse, path)


def test_shared_strings_of_half_a_million_unclosed_items(warehouse, plain, tmp_path):
    refused_leaving_warehouse_as_it_was(warehouse, hb.hostile_shared_strings(plain, tmp_path / "sst.xlsx"))


def test_workbook_xml_of_unclosed_sheet_tags(warehouse, plain, tmp_path):
    refused = refused_leaving_warehouse_as_it_was(
        warehouse, hb.hostile_workbook_xml(plain, tmp_path / "wb.xlsx")
    )
    assert "XML 구조가 깨져" in refused.problems[0].message_ko


@pytest.mark.parametrize("part", [hb.STYLES, hb.THEME, hb.SST, hb.WORKBOOK, hb.RELS, hb.SHEET])
def test_part_inflating_beyond_its_declared_size_is_refused(warehouse, source, tmp_path, part):
    # 300 MB of zeros declared as 20 kB: readers that trust the declaration would inflate it whole.
    path = hb.disguised_part(source, tmp_path / "bomb.xlsx", part)
    refused = refused_leaving_warehouse_as_it_was(warehouse, path)
    assert "표시된 크기보다 크게 풀려" in refused.problems[0].message_ko
    assert part in refused.problems[0].message_ko


def test_an_honest_but_huge_styles_part_is_refused_on_its_declaration(warehouse, source, tmp_path):
    data, crc = hb.zeros_deflated(200 * 1024**2)
    entries = hb.raw_entries(source)
    for e in entries:
        if e.name == hb.STYLES:
            e.stored, e.crc, e.size = data, crc, 200 * 1024**2
    refused = refused_leaving_warehouse_as_it_was(warehouse, hb.write_raw(tmp_path / "styles.xlsx", entries))
    assert "비정상적으로 커지는" in refused.problems[0].message_ko


DAMAGE = {
    "crc": "검사값(CRC)",
    "deflate": "압축 자료가 깨져",
    "truncated": "끊겼습니다",
    "encrypted": "암호화된 구성 파일",
    "method": "압축 방식",
}


@pytest.mark.parametrize("part", [hb.WORKBOOK, hb.RELS, hb.SHEET, hb.STYLES, hb.SST])
@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_container_is_refused_naming_the_part(warehouse, source, tmp_path, part, how):
    refused = refused_leaving_warehouse_as_it_was(
        warehouse, hb.damaged(source, tmp_path / "bad.xlsx", part, how)
    )
    assert DAMAGE[how] in refused.problems[0].message_ko
    assert part in refused.problems[0].message_ko


@pytest.mark.parametrize("where", ["rels", "name"])
def test_bytes_that_are_not_utf8_are_refused(warehouse, plain, tmp_path, where):
    refused = refused_leaving_warehouse_as_it_was(
        warehouse, hb.non_utf8(plain, tmp_path / "bytes.xlsx", where)
    )
    assert "XML 구조가 깨져" in refused.problems[0].message_ko


@pytest.mark.parametrize(
    "build", [hb.x_prefixed, hb.single_quoted, hb.minimal], ids=["x-prefix", "quotes", "minimal"]
)
@pytest.mark.parametrize("base", ["shared", "inline"])
def test_odd_but_valid_workbooks_load(source, plain, tmp_path, build, base):
    original = source if base == "shared" else plain
    path = build(original, tmp_path / "odd.xlsx")

    def figures(p: Path) -> set:
        return {(r["mission_code"], r["metric_code"], r["value"]) for r in prepare(p).rows.to_pylist()}

    got = figures(path)
    assert got == figures(original)
    assert ("VN-HAN", "firms_supported", 12) in got and ("VN-HAN", "satisfaction", 88) in got


def _mutations(source: Path, tmp_path: Path, n: int, seed: int):
    """Paths of `n` mutated copies of `source`: bytes of the container, or of one part zipped again."""
    rng = random.Random(seed)
    data = source.read_bytes()
    parts = hb.parts_of(source)
    for i in range(n):
        path = tmp_path / f"m{i % 4}.xlsx"
        if i % 2:  # the container's bytes
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            path.write_bytes(bytes(mutated))
        else:  # an inflated part's bytes, zipped again correctly: the XML readers' turn
            name = rng.choice(sorted(parts))
            xml = bytearray(parts[name])
            for _ in range(rng.randint(1, 4)):
                at = rng.randrange(len(xml))
                if rng.random() < 0.5:
                    xml[at] = rng.choice(b'<>/"=&\x00\xff x')
                else:
                    del xml[at : at + rng.randint(1, 40)]
            hb.write_parts(path, {**parts, name: bytes(xml)})
        yield i, path


@pytest.mark.slow
def test_a_thousand_random_mutations_are_read_or_refused(source, tmp_path):
    """Seeded fuzzing of the read stage: every mutation is read to the end or Refused, nothing else."""
    refused = 0
    for _, path in _mutations(source, tmp_path, 1000, 20261201):
        try:
            book = open_book(path)
            for head in book.heads:
                book.load(head)
        except Refused as exc:
            assert exc.problems and all(p.message_ko and p.fix_ko for p in exc.problems)
            refused += 1
    assert refused > 300


@pytest.mark.slow
def test_mutated_returns_checked_on_the_warehouse_leave_it_as_it_was(warehouse, source, tmp_path):
    """Seeded fuzzing through the whole check, staged on the warehouse as etl.intake.load stages it."""
    before = warehouse.read_bytes()
    con = duckdb.connect(str(warehouse))
    refused = 0
    try:
        for i, path in _mutations(source, tmp_path, 100, 7):
            stored = snapshot(con)
            try:
                prepare(path, stg=con.cursor())
            except Refused as exc:
                assert exc.problems and all(p.message_ko for p in exc.problems), i
                assert snapshot(con) == stored
                refused += 1
    finally:
        con.close()
    assert warehouse.read_bytes() == before
    assert refused > 30


def test_zip_directory_entries_and_foreign_parts_are_verified_too(warehouse, source, tmp_path):
    """A part no reader of ours opens (docProps, a custom XML part) is still proved before any reader runs."""
    data, crc = hb.zeros_deflated(100 * 1024**2)
    entries = [*hb.raw_entries(source), hb.Raw("customXml/item1.xml", data, crc, 1000)]
    refused = refused_leaving_warehouse_as_it_was(warehouse, hb.write_raw(tmp_path / "custom.xlsx", entries))
    assert "customXml/item1.xml" in refused.problems[0].message_ko
    with zipfile.ZipFile(source) as zf:
        assert "xl/styles.xml" in zf.namelist()
