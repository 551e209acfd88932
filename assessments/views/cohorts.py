"""cohorts views."""
