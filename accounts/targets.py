"""A learner's target track: the one track their dashboard and audits measure them against."""

from pages import bump_learner


def aim_for(user, track):
    """Make `track` the learner's target track. One query; returns True if it changed."""
    changed = user.target_track_id != track.pk
    user.target_track = track
    user.save(update_fields=["target_track"])
    bump_learner(user.pk)
    return changed
