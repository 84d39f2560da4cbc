"""Writing figures: the submission ledger (versions, rollback), 누계 increments and their re-derivation."""
