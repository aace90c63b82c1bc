"""Editorial: drafts and their review, overrides of imported facts, the audit trail,
feedback reports, link checks and uploads waiting to be applied."""
