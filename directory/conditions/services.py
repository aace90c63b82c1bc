"""The catalogue service: the only code that writes the catalogue.

Importers, the CLI, editor screens and tests change the catalogue through
:class:`CatalogueService`. Each ``apply_*`` method takes typed records, applies
them in ONE transaction, and records an :class:`~directory.conditions.models.ImportRun`.
On any error the transaction is rolled back (the catalogue is exactly as
before) and a failed run is recorded separately. Applying the same release
twice changes nothing.
"""

from __future__ import annotations

from directory.conditions.appliers.classification import ClassificationApplier
from directory.conditions.appliers.code_mappings import CodeMappingsApplier
from directory.conditions.appliers.editorial_names import EditorialNamesApplier
from directory.conditions.appliers.gazetteer import GazetteerApplier
from directory.conditions.appliers.lay_terms import LayTermsApplier
from directory.conditions.appliers.nomenclature import NomenclatureApplier
from directory.conditions.appliers.proposed_summaries import ProposedSummariesApplier
from directory.conditions.appliers.zero_results import ZeroResultsLog
from directory.conditions.editor_writes import ConditionEditorWrites
from directory.retirement import RetirementGuard


class CatalogueService(
    NomenclatureApplier,
    ClassificationApplier,
    EditorialNamesApplier,
    ProposedSummariesApplier,
    LayTermsApplier,
    CodeMappingsApplier,
    GazetteerApplier,
    ZeroResultsLog,
    ConditionEditorWrites,
):
    """Writes to the catalogue. Construct with a session factory and the editors'
    corrections (``directory.editorial.corrections.EDITOR_CORRECTIONS``).

    Runs and releases come from :class:`~directory.conditions.runs.CatalogueRuns`, each
    source's ``apply_*`` from its applier in :mod:`directory.conditions.appliers`.
    """

    def guarded(self, guard: RetirementGuard) -> CatalogueService:
        """This service, with imports checked against ``guard`` (empty lists, mass retirement)."""
        return CatalogueService(self._sessions, self._corrections, guard=guard)
