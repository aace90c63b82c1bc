"""Other named expertise centres (``expertise_centres.json``).

Centres that a public source names for a condition without it being (known as) a
VWS recognition: a national centre where every patient is treated (retinoblastoma
at Amsterdam UMC), a national reference centre, an ENETS centre of excellence, an
expertise centre that the hospital or a national body names, and the Prinses
Máxima Centrum for every child with cancer (population ``children``). Each record
names its institutions, its ORPHAcodes with explicit exclusions, its certainty and
its sources.
"""

from __future__ import annotations

from directory.expertise.records import Bilingual, ExpertiseCentreRecord, ExpertiseCentresRelease
from directory.vocabulary import CENTRE_BASES, POPULATIONS
from importers.base import SourceFile
from importers.curated import JsonFile, records

SOURCE = "expertise-centres"


def parse_expertise_centres(source: SourceFile) -> ExpertiseCentresRelease:
    """Centres; InputRejected listing every problem in the file."""
    file = JsonFile(source)
    root = file.root(["centres"])
    out: list[ExpertiseCentreRecord] = []
    for el in records(
        file,
        root.objects("centres"),
        "centres",
        ["slug", "name", "institutions", "basis", "population", "orphacodes", "certainty",
         "sources"],
        ["exclude_orphacodes", "note"],
    ):  # fmt: skip
        slug = el.slug()
        institutions = el.refs("institutions")
        if not institutions and "institutions" in el.data:
            el.problem("institutions", "a centre names at least one institution")
        codes = el.codes("orphacodes")
        if not codes and "orphacodes" in el.data:
            el.problem("orphacodes", "a centre is for at least one ORPHAcode")
        exclude = el.codes("exclude_orphacodes")
        overlap = {c.code for c in codes} & {c.code for c in exclude}
        if overlap:
            el.problem(
                "exclude_orphacodes",
                f"ORPHA:{min(overlap)} is both included and excluded",
            )
        certainty = el.certainty()
        sources = el.sources()
        if certainty in ("confirmed", "reported") and not any(s.source for s in sources):
            el.problem("sources", "a confirmed or reported centre cites a register source")
        out.append(
            ExpertiseCentreRecord(
                slug=slug,
                name=el.bilingual("name") or Bilingual(slug, slug),
                institutions=institutions,
                basis=el.enum("basis", CENTRE_BASES) or "expertise_centre",
                population=el.enum("population", POPULATIONS) or "all",
                orphacodes=codes,
                exclude=exclude,
                certainty=certainty,
                note=el.bilingual("note", required=False),
                sources=sources,
                where=el.where,
            )
        )
    file.raise_if_problems("expertise centres")
    return ExpertiseCentresRelease(
        release=file.release(SOURCE), centres=tuple(out), source_name=source.name
    )
