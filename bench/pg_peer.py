"""The peer in the search bench: PostgreSQL full-text search with ``pg_trgm``.

What a team would build in a day on the catalogue's own PostgreSQL, over the same
search documents as the embedded engine:

* one row per document with a weighted ``tsvector`` per language, accents removed
  with ``unaccent`` (names A, lay terms and codes B, definitions D; Dutch documents
  with the ``dutch`` configuration, English ones with ``english``), and every name in
  one text column with a trigram index (``gin_trgm_ops``);
* a query is the OR of its words in both configurations (so a query with any
  matching word finds something), ranked by ``ts_rank`` (word weights A/B/D,
  normalised by document length) plus the trigram ``word_similarity`` of the whole
  query against the names (which also finds typos and phonetic spellings);
  a document that matches no word but whose names are trigram-similar enough is a
  candidate too.

The bench starts its own throw-away PostgreSQL 15 cluster, the way the tests do
(``tests/conftest.py``): Debian's binaries under ``/usr/lib/postgresql/*/bin``, run as
the ``postgres`` user (``runuser``) when the bench runs as root.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import psycopg

from search.engine import SearchDocument

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE docs (
    id text PRIMARY KEY,
    names text NOT NULL,
    tsv tsvector NOT NULL
);
"""
INDEXES = """
CREATE INDEX docs_tsv ON docs USING gin (tsv);
CREATE INDEX docs_names_trgm ON docs USING gin (names gin_trgm_ops);
ANALYZE docs;
"""
# One statement per document: the weighted vector of both languages.
INSERT = """
INSERT INTO docs (id, names, tsv) VALUES (
    %(id)s,
    unaccent(%(names)s),
    setweight(to_tsvector('dutch', unaccent(%(names_nl)s)), 'A')
    || setweight(to_tsvector('english', unaccent(%(names_en)s)), 'A')
    || setweight(to_tsvector('dutch', unaccent(%(lay_nl)s)), 'B')
    || setweight(to_tsvector('english', unaccent(%(lay_en)s)), 'B')
    || setweight(to_tsvector('simple', unaccent(%(codes)s)), 'B')
    || setweight(to_tsvector('dutch', unaccent(%(text_nl)s)), 'D')
    || setweight(to_tsvector('english', unaccent(%(text_en)s)), 'D')
)
"""
# Candidates: the OR of the words in both languages (best 50 by ts_rank, word weights
# A/B/D, normalised by length), and names that look like the whole query (best 50 by
# trigram word similarity: typos, phonetic spellings), each asked on its own index.
# Order: ts_rank plus half the trigram similarity.
SEARCH = """
WITH q AS (
    SELECT
        (CASE WHEN numnode(plainto_tsquery('dutch', unaccent(%(q)s))) > 0
              THEN replace(plainto_tsquery('dutch', unaccent(%(q)s))::text, '&', '|')::tsquery
              ELSE ''::tsquery END)
        || (CASE WHEN numnode(plainto_tsquery('english', unaccent(%(q)s))) > 0
              THEN replace(plainto_tsquery('english', unaccent(%(q)s))::text, '&', '|')::tsquery
              ELSE ''::tsquery END) AS query,
        unaccent(lower(%(q)s)) AS text
),
cand AS (
    (SELECT d.id FROM docs d, q WHERE d.tsv @@ q.query
     ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', d.tsv, q.query, 1) DESC LIMIT 50)
    UNION
    (SELECT d.id FROM docs d, q WHERE q.text <%% d.names
     ORDER BY word_similarity(q.text, d.names) DESC LIMIT 50)
)
SELECT d.id
FROM docs d JOIN cand USING (id), q
ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', d.tsv, q.query, 1)
         + 0.5 * word_similarity(q.text, d.names) DESC, d.id
LIMIT %(limit)s
"""
WORD_SIMILARITY = 0.5  # pg_trgm.word_similarity_threshold for "<%" (default 0.6)


def _bindir() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries (initdb) not found; install postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A throw-away PostgreSQL cluster in a temporary directory; yields a connection URL."""
    bindir = _bindir()
    workdir = Path(tempfile.mkdtemp(prefix="exw-bench-pg-"))
    datadir, sockdir = workdir / "data", workdir / "sock"
    sockdir.mkdir()
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockdir, "postgres")
    port = _free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "exw",
         "-E", "UTF8", "--no-locale"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-w", "-l", str(workdir / "log"),
         "-o", f"-k {sockdir} -p {port} -c listen_addresses='' -c fsync=off", "start"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    try:
        yield f"host={sockdir} port={port} user=exw dbname=postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _row(d: SearchDocument) -> dict[str, str]:
    names_nl = " ".join(dict.fromkeys((d.title_nl, *d.names_nl)))
    names_en = " ".join(dict.fromkeys((d.title_en, *d.names_en)))
    return {
        "id": d.id,
        "names": " ".join(dict.fromkeys((d.title_nl, d.title_en, *d.names_nl, *d.names_en))),
        "names_nl": names_nl,
        "names_en": names_en,
        "lay_nl": " ".join(d.lay_nl),
        "lay_en": " ".join(d.lay_en),
        # Codes as words: "ORPHA:178" -> "orpha 178", "ICD-10 C41.9" -> "icd 10 c41.9".
        "codes": " ".join(d.codes).replace(":", " ").replace("-", " "),
        "text_nl": d.text_nl,
        "text_en": d.text_en,
    }


def load(dsn: str, docs: Sequence[SearchDocument], table_suffix: str = "") -> psycopg.Connection:
    """A database holding ``docs``; returns an open connection to it."""
    name = f"peer{table_suffix}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # a constant name
    con = psycopg.connect(dsn.replace("dbname=postgres", f"dbname={name}"), autocommit=True)
    con.execute(SCHEMA)
    with con.cursor() as cur:
        cur.executemany(INSERT, [_row(d) for d in docs])
    con.execute(INDEXES)
    con.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}")
    return con


def codes_of(docs: Sequence[SearchDocument]) -> dict[int, str]:
    return {d.orphacode: d.id for d in docs if d.orphacode is not None}


def peer_search(
    con: psycopg.Connection, by_code: dict[int, str]
) -> Callable[[str, str], list[str]]:
    """``(query, lang) -> ids``; numbers that are ORPHAcodes first, as anyone would."""

    def search(text: str, lang: str, limit: int = 10) -> list[str]:
        q = text.strip()
        if not q:
            return []
        coded = [by_code[int(n)] for n in re.findall(r"\d{2,7}", q) if int(n) in by_code]
        found = [r[0] for r in con.execute(SEARCH, {"q": q, "limit": limit})]
        return list(dict.fromkeys([*coded, *found]))[:limit]

    return search
