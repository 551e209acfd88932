"""progress views."""
