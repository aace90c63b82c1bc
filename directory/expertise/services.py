"""The expertise service: the only code that writes the expertise catalogue.

Each ``apply_*`` method takes the typed records of one source release,
resolves their references (institution names and slugs, ORPHAcodes, ERNs,
domains, working groups) against the catalogue, and writes them in ONE
transaction, recorded as an :class:`~directory.conditions.models.ImportRun` through
:meth:`CatalogueService.run`.

* Strict by default: any unresolvable reference rejects the whole release
  (:class:`~directory.errors.InputRejected` listing every problem with file,
  location, field and reason) and nothing is written.
* ``allow_partial``: records with problems are left out and listed in the run
  report; the rest is written.
* Applying the same release twice changes nothing (every row is compared).
* A new release updates, adds and retires: rows that are no longer in the
  source get ``retired_at`` and keep their history; a row that comes back is
  un-retired.
"""

from __future__ import annotations

from directory.catalogue_version import bump_version
from directory.expertise.appliers.ecza import EczaApplier
from directory.expertise.appliers.expertise_centres import ExpertiseCentresApplier
from directory.expertise.appliers.institutions import InstitutionsApplier
from directory.expertise.appliers.networks import NetworksApplier
from directory.expertise.appliers.panels import PanelsApplier
from directory.expertise.appliers.patient_resources import PatientResourcesApplier
from directory.expertise.appliers.priority_conditions import PriorityConditionsApplier
from directory.expertise.appliers.reference import ReferenceApplier
from directory.expertise.appliers.search_aliases import SearchAliasesApplier
from directory.expertise.appliers.soncos import SoncosApplier
from directory.expertise.appliers.sources import SourcesApplier
from directory.expertise.appliers.working_groups import WorkingGroupsApplier
from directory.expertise.editor_writes import EditorWrites
from directory.expertise.slugs import ENGLISH_SLUG_MODELS, EnglishSlugs


class ExpertiseService(
    InstitutionsApplier,
    ReferenceApplier,
    NetworksApplier,
    WorkingGroupsApplier,
    PanelsApplier,
    SoncosApplier,
    EczaApplier,
    SourcesApplier,
    PatientResourcesApplier,
    PriorityConditionsApplier,
    ExpertiseCentresApplier,
    SearchAliasesApplier,
    EditorWrites,
):
    """Writes institutions, reference data, networks, working groups, panels and designations.

    Construct with a session factory and the editors' corrections
    (``directory.editorial.corrections.EDITOR_CORRECTIONS``), and optionally the
    :class:`CatalogueService` import runs are recorded through (by default one on the
    same database, with the same corrections). Each source's ``apply_*`` comes from
    its applier in :mod:`directory.expertise.appliers`, the editor area's writes from
    :mod:`directory.expertise.editor_writes`.
    """

    # -- maintenance -------------------------------------------------------------------

    def fill_english_slugs(self) -> int:
        """Give every panel, working group, network and body area without an English
        slug one (after the migration that added them); how many were given."""
        with self._sessions.begin() as session:
            given = sum(EnglishSlugs(session, kind).fill_missing() for kind in ENGLISH_SLUG_MODELS)
            if given:
                bump_version(session)  # English addresses changed: pages and index follow
            return given
