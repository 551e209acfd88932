"""A learner's target track: the one track their dashboard and audits measure them against."""

from accounts.models import User


def aim_for(user, track):
    """Make `track` the learner's target track. One query; returns True if it changed."""
    changed = user.target_track_id != track.pk
    User.objects.filter(pk=user.pk).update(target_track=track)
    user.target_track = track
    return changed
