"""audits views."""
