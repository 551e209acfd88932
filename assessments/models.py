"""Audits, ratings, progress and evidence: the learner's personal layer."""
