"""ECZA recognitions: CSV and XLSX, every class of bad row, strict and partial, releases."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from directory.conditions.models import Condition, ConditionRedirect, ImportRun
from directory.conditions.services import CatalogueService
from directory.errors import InputRejected
from directory.expertise.models import Designation, DesignationCondition
from directory.expertise.services import ExpertiseService
from importers.ecza import parse_ecza
from importers.registry import RunOptions, run_import
from tests.support.expertise import DATA_DIR, bundled, source

HEADER = (
    "centre_name,institutions,orphacode,orpha_name_en,level,ern,recognised_from,"
    "recognised_until,certainty,source"
)
GOOD = [
    "CGOA,amsterdam-umc;nki-avl,59305,Gestational trophoblastic neoplasm,cluster,EURACAN,"
    "2022-03-01,2027-03-01,confirmed,test source A",
    "Radboudumc i.s.m. MUMC+,Radboudumc;Maastricht UMC+,98062,,cluster,,,,uncertain,test B",
    "(centrum niet genoemd in bron),,70567,,disease,,,,confirmed,test C",
]


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def apply(expertise: ExpertiseService, data: bytes, name: str = "ecza.csv", **kw):
    release, rejected, protected = parse_ecza(source(name, data), **kw)
    return expertise.apply_ecza(release, rejected=rejected, protected_keys=protected, **kw), release


def current(sessions) -> dict[str, Designation]:
    with sessions() as s:
        rows = s.scalars(select(Designation).where(Designation.source == "ecza")).all()
        for d in rows:
            _ = d.institutions, d.conditions
        s.expunge_all()
        return {d.key: d for d in rows}


# -- valid data ---------------------------------------------------------------------------


def test_bundled_list_imports_and_reimport_changes_nothing(
    expertise: ExpertiseService, seeded_sessions, catalogue: CatalogueService
) -> None:
    run_import(catalogue, "networks", data_dir=DATA_DIR)  # not needed, but a full chain
    release, rejected, _ = parse_ecza(bundled("curated/ecza_recognitions.csv"))
    assert rejected == ()
    first = expertise.apply_ecza(release)
    assert first.status == "succeeded"
    assert first.counts.added == len(release.rows)
    again = expertise.apply_ecza(release)
    assert (again.counts.added, again.counts.changed, again.counts.retired) == (0, 0, 0)
    assert again.counts.unchanged == len(release.rows)
    rows = current(seeded_sessions)
    cgoa = next(d for d in rows.values() if d.label_nl.startswith("Centrum voor Gynaecologische"))
    assert len(cgoa.institutions) == 2  # one centre, two institutions
    assert [c.orphacode for c in cgoa.conditions] == [59305]


def test_names_aliases_and_slugs_all_resolve_to_institutions(
    expertise: ExpertiseService, seeded_sessions
) -> None:
    report, _ = apply(expertise, csv(*GOOD))
    assert report.status == "succeeded"
    rows = current(seeded_sessions)
    assert len(rows) == 3
    joint = next(d for d in rows.values() if d.label_nl.startswith("Radboudumc"))
    assert len(joint.institutions) == 2
    assert joint.certainty == "uncertain"
    unnamed = next(d for d in rows.values() if d.label_nl.startswith("(centrum"))
    assert unnamed.institutions == []
    cgoa = next(d for d in rows.values() if d.label_nl == "CGOA")
    assert (cgoa.valid_from, cgoa.valid_until) == (dt.date(2022, 3, 1), dt.date(2027, 3, 1))
    assert cgoa.ern_id is not None


def test_xlsx_with_the_same_columns(expertise: ExpertiseService, seeded_sessions) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["UMCG – hoofd-hals", "UMCG", 150, "", "disease", "", dt.date(2021, 1, 1),
                  dt.datetime(2026, 1, 1), "confirmed", "xlsx test"])  # fmt: skip
    buf = io.BytesIO()
    book.save(buf)
    report, release = apply(expertise, buf.getvalue(), name="ecza.xlsx")
    assert report.status == "succeeded"
    (row,) = release.rows
    assert row.line == 2
    assert (row.valid_from, row.valid_until) == (dt.date(2021, 1, 1), dt.date(2026, 1, 1))
    (d,) = current(seeded_sessions).values()
    assert [c.orphacode for c in d.conditions] == [150]


# -- every class of bad row -------------------------------------------------------------------


def test_wrong_column_rejects_the_file_naming_the_column() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_ecza(source("ecza.csv", csv(header=HEADER.replace("level", "niveau"))))
    found = {(p.location, p.field, p.reason.split(" (")[0]) for p in exc.value.problems}
    assert found == {
        ("line 1 (header)", "level", "required column is missing"),
        ("line 1 (header)", "niveau", "unknown column"),
    }


def test_bad_dates_and_dates_out_of_order_name_line_and_column() -> None:
    rows = csv(
        "A,umcg,150,,disease,,2022-13-01,,confirmed,s",
        "B,umcg,150,,disease,,2024-01-01,2020-01-01,confirmed,s",
        "C,umcg,ORPHA:x,,level,,,,maybe,",
    )
    with pytest.raises(InputRejected) as exc:
        parse_ecza(source("ecza.csv", rows))
    found = [(p.location, p.field) for p in exc.value.problems]
    assert ("line 2", "recognised_from") in found
    assert ("line 3", "recognised_until") in found
    assert ("line 4", "orphacode") in found
    assert ("line 4", "level") in found
    assert ("line 4", "certainty") in found
    assert ("line 4", "sources") in found
    order = next(p for p in exc.value.problems if p.location == "line 3")
    assert "dates out of order" in order.reason


def test_unknown_code_and_unknown_institution_reject_everything(
    expertise: ExpertiseService, seeded_sessions
) -> None:
    data = csv(
        *GOOD, "X,Radbod UMC,150,,disease,,,,confirmed,s", "Y,umcg,9999999,,disease,,,,confirmed,s"
    )
    with pytest.raises(InputRejected) as exc:
        apply(expertise, data)
    problems = {p.location: p for p in exc.value.problems}
    assert set(problems) == {"line 5", "line 6"}
    unknown = problems["line 5"]
    assert unknown.field == "institutions"
    assert "unknown institution 'Radbod UMC'" in unknown.reason
    assert "closest known names: 'Radboud UMC'" in unknown.reason
    assert "unknown ORPHAcode 9999999" in problems["line 6"].reason
    assert current(seeded_sessions) == {}  # nothing was written


def test_malformed_files_are_rejected_whole() -> None:
    with pytest.raises(InputRejected) as exc:
        parse_ecza(source("ecza.xlsx", b"PK\x03\x04 this is no workbook"))
    assert "not a readable XLSX workbook" in exc.value.problems[0].reason
    with pytest.raises(InputRejected) as exc:
        parse_ecza(source("ecza.csv", HEADER.encode() + b"\nA,umcg,150,\xff\n"))
    assert exc.value.problems[0].reason.startswith("not valid UTF-8")
    with pytest.raises(InputRejected) as exc:
        parse_ecza(source("ecza.csv", csv("A,umcg,150,disease")))
    assert exc.value.problems[0].reason == "has 4 fields, the header has 10"


def test_strict_run_records_a_failed_run_and_changes_nothing(
    catalogue: CatalogueService, seeded_sessions, tmp_path
) -> None:
    path = tmp_path / "ecza.csv"
    path.write_bytes(csv(*GOOD, "X,Nowhere Hospital,150,,disease,,,,confirmed,s"))
    with pytest.raises(InputRejected):
        run_import(catalogue, "ecza", data_dir=DATA_DIR, location=str(path))
    assert current(seeded_sessions) == {}
    with seeded_sessions() as s:
        run = s.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert run is not None
        assert (run.source, run.status) == ("ecza", "failed")
        assert run.problems[0]["location"] == "line 5"
        assert "Nowhere Hospital" in run.problems[0]["reason"]


def test_allow_partial_writes_valid_rows_and_records_rejected_ones(
    catalogue: CatalogueService, seeded_sessions, tmp_path
) -> None:
    path = tmp_path / "ecza.csv"
    path.write_bytes(
        csv(
            *GOOD,
            "X,Nowhere Hospital,150,,disease,,,,confirmed,s",
            "Z,umcg,150,,disease,,bad,,confirmed,s",
        )
    )
    (report,) = run_import(
        catalogue, "ecza", data_dir=DATA_DIR, location=str(path),
        options=RunOptions(allow_partial=True),
    )  # fmt: skip
    assert report.status == "partial"
    assert report.counts.added == 3
    assert {p.location for p in report.problems} == {"line 5", "line 6"}
    with seeded_sessions() as s:
        run = s.get(ImportRun, report.run_id)
        assert run is not None
        assert run.status == "partial"
        assert {p["field"] for p in run.problems} == {"institutions", "recognised_from"}
    assert len(current(seeded_sessions)) == 3


# -- redirects, releases, history ----------------------------------------------------------------


def test_deprecated_code_is_followed_to_its_successor(
    expertise: ExpertiseService, seeded_sessions
) -> None:
    with seeded_sessions() as s:
        old = s.scalars(
            select(ConditionRedirect.from_code, ConditionRedirect.to_code)
            .join(Condition, Condition.orphacode == ConditionRedirect.to_code)
            .where(Condition.status == "active", ConditionRedirect.kind == "moved_to")
        ).first()
    assert old is not None, "the bundled nomenclature has moved codes"
    report, _ = apply(expertise, csv(f"Old code centre,umcg,{old},,disease,,,,confirmed,s"))
    assert any(f"ORPHA:{old} is" in w and "successor" in w for w in report.warnings)
    with seeded_sessions() as s:
        link = s.scalars(
            select(DesignationCondition).join(Designation).where(Designation.source == "ecza")
        ).one()
        assert link.source_code == old
        assert s.get(Condition, link.orphacode).status == "active"


def test_new_release_updates_adds_and_retires_keeping_history(
    expertise: ExpertiseService, seeded_sessions
) -> None:
    apply(expertise, csv(*GOOD))
    before = current(seeded_sessions)
    newer = csv(
        GOOD[0].replace("2027-03-01", "2027-06-01"),  # changed
        GOOD[2],  # unchanged
        "UMCG – hoofd-hals,umcg,150,,disease,,,,confirmed,new",  # added
    )  # GOOD[1] is gone: retired
    report, _ = apply(expertise, newer)
    c = report.counts
    assert (c.added, c.changed, c.retired, c.unchanged) == (1, 1, 1, 1)
    after = current(seeded_sessions)
    assert len(after) == 4  # the retired row is kept
    gone = next(d for d in after.values() if d.label_nl.startswith("Radboudumc"))
    assert gone.retired_at is not None
    assert len(gone.institutions) == 2  # with its links
    changed = next(d for d in after.values() if d.label_nl == "CGOA")
    assert changed.valid_until == dt.date(2027, 6, 1)
    assert changed.first_release_id == before[changed.key].first_release_id
    assert changed.release_id != before[changed.key].release_id
    # and it comes back when a later release lists it again
    report, _ = apply(expertise, csv(*GOOD))
    assert report.counts.added == 0
    assert current(seeded_sessions)[gone.key].retired_at is None


def test_a_strict_run_lists_bad_rows_and_unresolved_names_together(
    catalogue: CatalogueService, seeded_sessions, tmp_path
) -> None:
    path = tmp_path / "ecza.csv"
    path.write_bytes(
        csv(*GOOD, "X,Radbod UMC,150,,disease,,,,confirmed,s", "Y,umcg,150,,disease,,2024-01-01,"
            "2020-01-01,confirmed,s")
    )  # fmt: skip
    with pytest.raises(InputRejected) as exc:
        run_import(catalogue, "ecza", data_dir=DATA_DIR, location=str(path))
    found = [(p.file, p.location, p.field) for p in exc.value.problems]
    assert found == [
        (str(path), "line 5", "institutions"),
        (str(path), "line 6", "recognised_until"),
    ]
    assert current(seeded_sessions) == {}
