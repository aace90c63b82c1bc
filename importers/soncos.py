"""SONCOS reference centres (``soncos.json``).

The SONCOS norm report names reference-centre requirements inside tumour
chapters; it is not published as a list. Each curated record gives the tumour
group, the ORPHAcodes it maps to, the report version and chapter, a short
citation, and the institutions only where a source names them.
"""

from __future__ import annotations

from directory.expertise.records import Bilingual, SoncosRecord, SoncosRelease
from directory.vocabulary import SONCOS_REQUIREMENT_KINDS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE = "soncos"
REQUIREMENT_KINDS = SONCOS_REQUIREMENT_KINDS


def parse_soncos(source: SourceFile) -> SoncosRelease:
    """SONCOS records; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["soncos_reference_centres"])
    out: list[SoncosRecord] = []
    for el in records(
        file,
        root.objects("soncos_reference_centres"),
        "soncos_reference_centres",
        ["slug", "institutions", "tumour_group", "orphacodes", "requirement_kind",
         "report_version", "chapter", "citation", "certainty", "sources"],
        ["report_version_note", "notes", "exclude_orphacodes"],
    ):  # fmt: skip
        slug = el.slug()
        codes = el.codes("orphacodes")
        if not codes and "orphacodes" in el.data:
            el.problem("orphacodes", "a SONCOS record must map to at least one ORPHAcode")
        out.append(
            SoncosRecord(
                slug=slug,
                institutions=el.refs("institutions"),
                tumour_group=el.bilingual("tumour_group") or Bilingual(slug, slug),
                orphacodes=codes,
                requirement_kind=el.enum("requirement_kind", REQUIREMENT_KINDS)
                or REQUIREMENT_KINDS[0],
                report_version=el.text("report_version", max_len=200) or "",
                report_version_note=el.bilingual("report_version_note", required=False),
                chapter=el.text("chapter", required=False, max_len=300),
                citation=el.bilingual("citation") or Bilingual("", ""),
                certainty=el.certainty(),
                notes=el.bilingual("notes", required=False),
                sources=el.sources(),
                where=el.where,
                exclude=el.codes("exclude_orphacodes"),
            )
        )
    file.raise_if_problems("SONCOS records")
    return SoncosRelease(release=file.release(SOURCE), records=tuple(out), source_name=source.name)
