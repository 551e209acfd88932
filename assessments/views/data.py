"""data views."""
