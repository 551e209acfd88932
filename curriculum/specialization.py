"""The honest specialization table: which share of which trunk each track needs.

The seed's rule of thumb is "30% of one trunk and 10% of two others": each track goes deep in
its depth trunk (`Track.depth_share` percent of it) and needs literacy in its literacy trunks
(`Track.literacy_share` percent of each); the other trunks it can leave. Curators edit the
trunks and the shares on the track in the admin. Pure: the view passes the rows it read.
"""

from dataclasses import dataclass

DEPTH = "depth"
LITERACY = "literacy"


@dataclass(frozen=True)
class Share:
    """One cell: `percent` of `trunk` as `role` (DEPTH or LITERACY), or no share (None, "")."""

    trunk: object
    percent: int | None = None
    role: str = ""


@dataclass(frozen=True)
class SpecializationRow:
    track: object
    shares: tuple

    @property
    def total(self):
        """The shares added up: what of a working week the track's trunks take, roughly."""
        return sum(share.percent for share in self.shares if share.percent is not None)


def specialization_table(tracks, trunks):
    """A row per track in `tracks` (each with `depth_trunk_id`, its literacy trunks prefetched
    and its two shares), a cell per trunk in `trunks`, in their order. No query."""
    rows = []
    for track in tracks:
        literacy = {trunk.pk for trunk in track.literacy_trunks.all()}
        shares = []
        for trunk in trunks:
            if trunk.pk == track.depth_trunk_id:
                shares.append(Share(trunk, track.depth_share, DEPTH))
            elif trunk.pk in literacy:
                shares.append(Share(trunk, track.literacy_share, LITERACY))
            else:
                shares.append(Share(trunk))
        rows.append(SpecializationRow(track, tuple(shares)))
    return rows
