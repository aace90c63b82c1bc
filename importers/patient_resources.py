"""Patient organisations and plain-language information pages (``patient_resources.json``).

Each record names an organisation or page, its website, what it is for (bilingual, B1),
the ORPHAcodes it is for with explicit exclusions, and its sources. A condition page
links the resources that reach it, the most specific first.
"""

from __future__ import annotations

from directory.expertise.records import Bilingual, PatientResourceRecord, PatientResourcesRelease
from directory.vocabulary import PATIENT_RESOURCE_KINDS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE = "patient-resources"


def parse_patient_resources(source: SourceFile) -> PatientResourcesRelease:
    """Resources; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["resources"])
    out: list[PatientResourceRecord] = []
    for el in records(
        file,
        root.objects("resources"),
        "resources",
        ["slug", "kind", "name", "website", "description", "orphacodes", "sources"],
        ["exclude_orphacodes"],
    ):
        slug = el.slug()
        codes = el.codes("orphacodes")
        if not codes and "orphacodes" in el.data:
            el.problem("orphacodes", "a resource is for at least one ORPHAcode")
        website = el.url("website")
        if website is None and "website" in el.data:
            el.problem("website", "a resource needs its web address")
        out.append(
            PatientResourceRecord(
                slug=slug,
                kind=el.enum("kind", PATIENT_RESOURCE_KINDS) or "patient_organisation",
                name=el.text("name", max_len=300) or slug,
                website=website or "",
                description=el.bilingual("description") or Bilingual("", ""),
                orphacodes=codes,
                exclude=el.codes("exclude_orphacodes"),
                sources=el.sources(),
                where=el.where,
            )
        )
    file.raise_if_problems("patient resources")
    return PatientResourcesRelease(
        release=file.release(SOURCE), resources=tuple(out), source_name=source.name
    )
