"""The gazetteer: Dutch postcodes and place names with coordinates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.conditions.rows import _sync_rows
from directory.conditions.runs import CatalogueRuns, ChangeTally
from directory.conditions.search_records import (
    GazetteerRelease,
)
from directory.places.models import GazetteerPlace, GazetteerPostcode
from directory.reports import ImportReport, Problem


class GazetteerApplier(CatalogueRuns):
    """The gazetteer: Dutch postcodes and place names with coordinates."""

    # -- gazetteer (postcodes and places) ---------------------------------------------

    def apply_gazetteer(
        self,
        data: GazetteerRelease,
        *,
        dry_run: bool = False,
        rejected: tuple[Problem, ...] = (),
    ) -> ImportReport:
        """Replace the postcode and place list with this release's, in one transaction.

        ``rejected`` are rows the parser already left out (with allow_partial).
        """

        def apply(session: Session, tally: ChangeTally) -> int:
            rel = self._release(session, data.release)
            postcodes = {p.postcode: p for p in session.scalars(select(GazetteerPostcode))}
            wanted = {
                p.postcode: {"postcode": p.postcode, "lat": p.lat, "lon": p.lon, "place": p.place}
                for p in data.postcodes
            }
            pc_fields = ("lat", "lon", "place")
            _sync_rows(session, GazetteerPostcode, postcodes, wanted, pc_fields, rel.id, tally)
            places = {(p.key, p.province): p for p in session.scalars(select(GazetteerPlace))}
            wanted_places = {
                (p.key, p.province): {
                    "key": p.key,
                    "name": p.name,
                    "province": p.province,
                    "lat": p.lat,
                    "lon": p.lon,
                    "postcodes": p.postcodes,
                }
                for p in data.places
            }
            fields = ("name", "lat", "lon", "postcodes")
            _sync_rows(session, GazetteerPlace, places, wanted_places, fields, rel.id, tally)
            return rel.id

        report = self.run(
            data.release.source,
            data.release.file_name,
            data.release.sha256,
            apply,
            dry_run=dry_run,
        )
        if rejected and not dry_run:
            return self._mark_partial(report, rejected)
        return report
