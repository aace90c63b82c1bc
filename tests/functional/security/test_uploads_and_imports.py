"""D2 (one person publishes an upload; mass retirement), D5 (unbounded uploads), D8 (tracebacks
on malformed files): through the editor area on SQLite and PostgreSQL, and on the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.settings import PROJECT_ROOT
from directory.conditions.models import ImportRun
from directory.expertise.models import Designation, Panel
from tests.support import hostile_files
from tests.support.editor import Site, csrf_of, login
from tests.support.security_fixtures import close_site, site_on

ECZA = (PROJECT_ROOT / "data" / "curated" / "ecza_recognitions.csv").read_text(encoding="utf-8")
ECZA_HEADER = ECZA.splitlines()[0] + "\n"
ROWS = len(ECZA.splitlines()) - 1  # the bundled list's rows
KEPT = 10  # a truncated list keeps this many


def _bundled_runs() -> int:
    """The runs of the bundled import every site starts from: one per bundled file."""
    from importers.registry import SOURCES

    return sum(len(spec.bundled) for spec in SOURCES.values())


BUNDLED_RUNS = _bundled_runs()
UPLOAD = {"nl": "/nl/redactie/imports/uploaden", "en": "/en/editor/imports/upload"}


def active_ecza(site: Site) -> int:
    with site.sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Designation)
                .where(Designation.source == "ecza", Designation.retired_at.is_(None))
            )
            or 0
        )


def active_panels(site: Site) -> int:
    with site.sessions() as s:
        q = select(func.count()).select_from(Panel).where(Panel.retired_at.is_(None))
        return int(s.scalar(q) or 0)


def runs(site: Site) -> list[ImportRun]:
    """The import runs since the copy of the catalogue was made (the test's own)."""
    with site.sessions() as s:
        q = select(ImportRun).where(ImportRun.id > BUNDLED_RUNS).order_by(ImportRun.id)
        return list(s.scalars(q))


def as_user(site: Site, email: str) -> None:
    site.client.cookies.clear()
    assert login(site.client, "en", email).status_code == 303


def upload(site: Site, source: str, name: str, data: bytes, lang: str = "en"):
    token = csrf_of(site.client.get(UPLOAD[lang]).text)
    return site.client.post(
        UPLOAD[lang],
        data={"csrf_token": token, "source": source, "lang": "nl"},
        files={"file": (name, data, "application/octet-stream")},
    )


def waiting_review(site: Site) -> str:
    """As the current user: the review page of the newest waiting upload."""
    page = site.client.get("/en/editor/imports").text
    found = re.search(r'href="(/en/editor/imports/upload\?upload=[^"]+)"', page)
    assert found is not None, "no waiting upload"
    return found.group(1)


def apply(site: Site, page_html: str, **extra: str):
    token = re.search(r'name="upload" value="([^"]+)"', page_html)
    assert token is not None, "no apply form"
    return site.client.post(
        UPLOAD["en"],
        data={
            "csrf_token": csrf_of(page_html),
            "action": "apply",
            "upload": token.group(1),
            **extra,
        },
    )


# -- D2 ---------------------------------------------------------------------------------


def test_a_reviewer_cannot_apply_their_own_upload(any_site: Site) -> None:
    as_user(any_site, "rita@example.org")
    changed = ECZA.replace(",confirmed,", ",reported,", 1)  # one row's certainty changes
    r = upload(any_site, "ecza", "ecza.csv", changed.encode())
    assert r.status_code == 200, r.text[-3000:]
    assert "Dry run of ecza.csv" in r.text
    assert "Apply this file" not in r.text  # not even offered
    assert "Another reviewer must apply this file" in r.text
    review = waiting_review(any_site)
    page = any_site.client.get(review).text
    assert "Apply this file" not in page
    token = re.search(r"upload=([A-Za-z0-9_-]+)", review)
    assert token is not None
    r = any_site.client.post(
        UPLOAD["en"],
        data={"csrf_token": csrf_of(page), "action": "apply", "upload": token.group(1)},
    )
    assert r.status_code == 403
    assert "You uploaded this file yourself" in r.text
    assert not [run for run in runs(any_site) if run.source == "ecza" and not run.dry_run]
    # A second person applies it.
    as_user(any_site, "ada@example.org")
    page = any_site.client.get(review).text
    assert "Uploaded by Rita Reviewer." in page
    r = apply(any_site, page)
    assert r.status_code == 303
    assert any_site.state.reindex.calls == 1


def test_an_empty_list_is_refused_outright(any_site: Site) -> None:
    as_user(any_site, "rita@example.org")
    before, panels = active_ecza(any_site), active_panels(any_site)
    assert before == ROWS
    assert panels > 10
    r = upload(any_site, "ecza", "empty.csv", ECZA_HEADER.encode())
    assert r.status_code == 400
    assert "the file lists nothing to import" in r.text
    r = upload(any_site, "panels", "panels.json", json.dumps({"panels": []}).encode())
    assert r.status_code == 400
    assert "the file lists nothing to import" in r.text
    # No waiting upload can be applied either, confirmed or not.
    as_user(any_site, "ada@example.org")
    page = any_site.client.get(waiting_review(any_site)).text
    assert "Apply this file" not in page
    assert active_ecza(any_site) == before
    assert active_panels(any_site) == panels
    failed = [run for run in runs(any_site) if run.status == "failed"]
    assert len(failed) >= 2


def test_mass_retirement_needs_a_confirmation(any_site: Site) -> None:
    truncated = "".join(ECZA.splitlines(keepends=True)[: KEPT + 1])  # the header and 10 rows
    gone = ROWS - KEPT
    as_user(any_site, "eddie@example.org")
    r = upload(any_site, "ecza", "ecza-truncated.csv", truncated.encode())
    assert r.status_code == 200
    assert f"{gone} would be retired" in r.text
    as_user(any_site, "rita@example.org")
    page = any_site.client.get(waiting_review(any_site)).text
    share = round(gone / ROWS * 100)
    assert f"This file would retire {share}% of the rows this source has now" in page
    assert 'name="confirm_retire"' in page
    r = apply(any_site, page)  # without ticking the box
    assert r.status_code == 400
    assert f"would retire {gone} of the {ROWS} rows" in r.text
    assert active_ecza(any_site) == ROWS
    page = any_site.client.get(waiting_review(any_site)).text
    r = apply(any_site, page, confirm_retire="yes")
    assert r.status_code == 303
    assert active_ecza(any_site) == KEPT


def test_a_few_retirements_need_no_confirmation(any_site: Site) -> None:
    almost = "".join(ECZA.splitlines(keepends=True)[:-2])  # all rows but 2: under 10 %
    as_user(any_site, "eddie@example.org")
    assert upload(any_site, "ecza", "ecza.csv", almost.encode()).status_code == 200
    as_user(any_site, "rita@example.org")
    page = any_site.client.get(waiting_review(any_site)).text
    assert 'name="confirm_retire"' not in page
    assert apply(any_site, page).status_code == 303
    assert active_ecza(any_site) == ROWS - 2


def _cli(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "EXW_DATABASE_URL": site.settings.database_url,
        "EXW_VAR_DIR": str(site.settings.var_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "expertisewijzer.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_cli_guards_mass_retirement_and_refuses_empty_lists(
    any_site: Site, tmp_path: Path
) -> None:
    truncated = tmp_path / "ecza.csv"
    truncated.write_text("".join(ECZA.splitlines(keepends=True)[: KEPT + 1]), encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text(ECZA_HEADER, encoding="utf-8")
    done = _cli(any_site, "import", "ecza", "--file", str(empty), "--allow-retire")
    assert done.returncode == 1
    assert "the file lists nothing to import" in done.stderr
    done = _cli(any_site, "import", "ecza", "--file", str(truncated))
    assert done.returncode == 1
    assert f"would retire {ROWS - KEPT} of the {ROWS} rows" in done.stderr
    assert "--allow-retire" in done.stderr
    assert active_ecza(any_site) == ROWS
    done = _cli(any_site, "import", "ecza", "--file", str(truncated), "--allow-retire")
    assert done.returncode == 0, done.stderr
    assert active_ecza(any_site) == KEPT


# -- D5 ---------------------------------------------------------------------------------


def test_problem_lists_are_capped_in_the_page_and_the_run(any_site: Site) -> None:
    rows = "".join(f"x{n},a,b,,\n" for n in range(5000))  # 5,000 bad ORPHAcodes
    data = ("orphacode,name_en,preferred_nl,synonyms_nl,note\n" + rows).encode()
    as_user(any_site, "eddie@example.org")
    r = upload(any_site, "dutch-names", "dup.csv", data)
    assert r.status_code == 400
    assert "and 4000 more problems" in r.text
    assert len(r.content) < 1_000_000
    (failed,) = [run for run in runs(any_site) if run.status == "failed"]
    assert len(failed.problems) == 1001
    assert failed.problems[-1]["reason"] == "and 4000 more problems"
    page = any_site.client.get(f"/en/editor/imports/{failed.id}")
    assert page.status_code == 200
    assert "and 4000 more problems" in page.text


def test_a_run_stored_before_the_cap_is_shown_capped(any_site: Site) -> None:
    from directory.clock import utcnow

    with any_site.sessions() as s, s.begin():
        run = ImportRun(
            source="dutch-names",
            file_name="old.csv",
            started_at=utcnow(),
            status="failed",
            problems=[
                {"file": "old.csv", "location": f"line {n}", "reason": "bad"} for n in range(5000)
            ],
            warnings=[f"w{n}" for n in range(3000)],
        )
        s.add(run)
        s.flush()
        run_id = run.id
    as_user(any_site, "eddie@example.org")
    page = any_site.client.get(f"/en/editor/imports/{run_id}").text
    assert page.count("<tr><td>old.csv</td>") == 1000
    assert "and 4000 more problems" in page
    assert "... and 2000 more warnings" in page
    assert any_site.client.get("/en/editor/imports").status_code == 200


def test_uploads_wait_in_the_database_and_their_number_is_bounded(any_site: Site) -> None:
    """Every node sees a waiting upload (no file under EXW_VAR_DIR), and they cannot pile up."""
    from directory.editorial.pending_uploads import MAX_WAITING

    as_user(any_site, "eddie@example.org")
    changed = ECZA.replace(",confirmed,", ",reported,", 1)
    assert upload(any_site, "ecza", "ecza.csv", changed.encode()).status_code == 200
    (waiting,) = any_site.state.uploads.waiting()
    assert any_site.state.uploads.data(waiting.token) == changed.encode()
    assert not [p for p in any_site.settings.var_dir.rglob("*") if p.name == "ecza.csv"]
    for _ in range(MAX_WAITING - 1):
        any_site.state.uploads.store(
            b"x",
            source="ecza",
            lang="nl",
            name="x.csv",
            user_id=any_site.team.editor.id,
            user_name="Eddie Editor",
        )
    for lang, says in (
        ("en", f"{MAX_WAITING} uploads are waiting to be applied already"),
        ("nl", f"Er wachten al {MAX_WAITING} uploads om te worden doorgevoerd"),
    ):
        r = upload(any_site, "ecza", "ecza.csv", changed.encode(), lang=lang)
        assert r.status_code == 409
        assert says in r.text
    assert len(any_site.state.uploads.waiting()) == MAX_WAITING
    assert not [run for run in runs(any_site) if run.source == "ecza" and not run.dry_run]


@pytest.mark.parametrize(
    ("maker", "says"),
    [
        ("dimension_bomb", "the worksheet says it spans 1,048,576 rows and 16,384 columns"),
        ("hidden_row_bomb", "the worksheet has more than 200,000 rows"),
        ("shared_strings_bomb", "the workbook unpacks to"),
        ("rows_bomb", "the workbook unpacks to"),
    ],
)
def test_workbook_bombs_are_refused_at_once(any_site: Site, maker: str, says: str) -> None:
    data = getattr(hostile_files, maker)()
    as_user(any_site, "eddie@example.org")
    started = time.monotonic()
    r = upload(any_site, "ecza", f"{maker}.xlsx", data)
    assert r.status_code == 400
    assert says in r.text
    assert time.monotonic() - started < 15  # the review: 22 s, 24 s, 176 s
    (failed,) = [run for run in runs(any_site) if run.status == "failed"]
    assert says in failed.problems[0]["reason"]


def test_an_xml_file_of_another_kind_is_not_built_whole(any_site: Site) -> None:
    data = b"<?xml version='1.0'?><root>" + b"<e/>" * 2_000_000 + b"</root>"  # 8 MB
    as_user(any_site, "eddie@example.org")
    r = upload(any_site, "orphanet", "other.xml", data)
    assert r.status_code == 400
    assert "not an Orphanet nomenclature or classification file" in r.text


@pytest.fixture
def small_site(database: str, request: pytest.FixtureRequest, tmp_path: Path):
    """The site with a small memory and time budget for imports of uploads."""
    s = site_on(
        database,
        request,
        tmp_path,
        env={"EXW_IMPORT_MEMORY_MB": "256", "EXW_IMPORT_SECONDS": "20"},
    )
    with s.client:
        yield s
    close_site(s)


def test_an_import_that_needs_too_much_memory_is_stopped_and_recorded(small_site: Site) -> None:
    huge = ("[" + ",".join(["1.5"] * 10_000_000) + "]").encode()  # 40 MB: 10 M numbers
    as_user(small_site, "eddie@example.org")
    r = upload(small_site, "panels", "panels.json", huge)
    assert r.status_code == 400
    assert "more memory than an import may use" in r.text or "was stopped" in r.text
    (failed,) = [run for run in runs(small_site) if run.status == "failed"]
    assert failed.problems
    assert small_site.client.get("/healthz").status_code == 200


def test_an_import_that_takes_too_long_is_stopped_and_recorded(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    s = site_on(database, request, tmp_path, env={"EXW_IMPORT_SECONDS": "0.2"})
    with s.client:
        as_user(s, "eddie@example.org")
        r = upload(s, "dutch-names", "names.csv", ECZA_HEADER.encode())
        assert r.status_code == 400
        assert "took longer than 0.2 seconds" in r.text
        (failed,) = [run for run in runs(s) if run.status == "failed"]
        assert "took longer than 0.2 seconds" in failed.problems[0]["reason"]
    close_site(s)


# -- D8 ---------------------------------------------------------------------------------

MALFORMED = [
    (
        "dutch-names",
        "hugefield.csv",
        b'orphacode,name_en,preferred_nl,synonyms_nl,note\n1,a,b,"' + b"x" * 200_000 + b'",\n',
        "not readable as CSV",
    ),
    ("panels", "deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("panels", "number.json", b'{"panels": [' + b"1" * 100_000 + b"]}", "not usable JSON"),
    ("ecza", "nosheets.xlsx", None, "the workbook has no worksheet"),
    ("ecza", "types.xlsx", None, "not a readable XLSX workbook"),
    ("ecza", "truncated.xlsx", None, "not a readable XLSX workbook"),
    ("ecza", "entity.xlsx", None, "the worksheet is empty"),
]
MAKERS = {
    "nosheets.xlsx": hostile_files.no_sheets,
    "types.xlsx": hostile_files.malformed_content_types,
    "truncated.xlsx": hostile_files.truncated_sheet,
    "entity.xlsx": hostile_files.entity_in_sheet,
}


@pytest.mark.parametrize(("source", "name", "data", "says"), MALFORMED)
def test_malformed_files_are_problems_not_errors(
    any_site: Site, source: str, name: str, data: bytes | None, says: str
) -> None:
    as_user(any_site, "eddie@example.org")
    r = upload(any_site, source, name, data if data is not None else MAKERS[name]())
    assert r.status_code == 400
    assert says in r.text
    (failed,) = [run for run in runs(any_site) if run.status == "failed"]
    assert says in failed.problems[0]["reason"]


def test_the_cli_reports_a_malformed_file_without_a_traceback(
    any_site: Site, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    done = _cli(any_site, "import", "panels", "--file", str(deep))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "nested too deeply" in done.stderr


def test_an_unexpected_error_in_an_importer_is_a_recorded_problem(
    any_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.errors import InputRejected
    from importers import registry

    def broken(*_args: object) -> list[object]:
        raise KeyError("surprise")

    spec = registry.SOURCES["panels"]
    monkeypatch.setitem(
        registry.SOURCES, "panels", registry.Source(spec.name, broken, spec.bundled, spec.help)
    )
    with pytest.raises(InputRejected) as caught:
        registry.run_import(
            any_site.state.catalogue,
            "panels",
            data_dir=PROJECT_ROOT / "data",
            location=str(PROJECT_ROOT / "data" / "curated" / "panels.json"),
        )
    assert "cannot be read (KeyError)" in str(caught.value)
    (failed,) = [run for run in runs(any_site) if run.status == "failed"]
    assert "cannot be read (KeyError)" in failed.problems[0]["reason"]
