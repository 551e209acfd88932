"""The honest specialization table on /tracks/ (issue 22, item 5): depth in one trunk and
literacy in others, with the shares curators set on each track."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from curriculum.models import Track, Trunk
from curriculum.specialization import DEPTH, LITERACY, specialization_table

# The rule, pure


class _Trunks(list):
    def all(self):
        return self


def _track(depth, literacy, depth_share=30, literacy_share=10):
    return SimpleNamespace(
        depth_trunk_id=depth,
        literacy_trunks=_Trunks(SimpleNamespace(pk=pk) for pk in literacy),
        depth_share=depth_share,
        literacy_share=literacy_share,
    )


TRUNKS = [SimpleNamespace(pk=pk) for pk in (1, 2, 3, 4)]


def test_a_track_has_its_depth_share_in_one_trunk_and_literacy_in_two_others():
    (row,) = specialization_table([_track(3, [1, 2])], TRUNKS)
    assert [(s.percent, s.role) for s in row.shares] == [
        (10, LITERACY),
        (10, LITERACY),
        (30, DEPTH),
        (None, ""),
    ]
    assert row.total == 50


def test_the_shares_follow_the_track():
    (row,) = specialization_table([_track(1, [4], depth_share=40, literacy_share=15)], TRUNKS)
    assert [s.percent for s in row.shares] == [40, None, None, 15]


# The page


@pytest.mark.django_db
def test_the_tracks_page_shows_the_specialization_table_from_the_tracks(client):
    page = client.get(reverse("curriculum:tracks")).content.decode()
    table = page[page.index('<table class="specialization">') :]
    table = table[: table.index("</table>")]
    tracks = list(Track.objects.current())
    assert table.count("<tr>") == len(tracks) + 1
    assert table.count("specialization__cell--depth") == len(tracks)
    literacy = sum(track.literacy_trunks.count() for track in tracks)
    assert table.count("specialization__cell--literacy") == literacy
    assert "30%" in table and "10%" in table
    for trunk in Trunk.objects.all():
        assert trunk.name in table


@pytest.mark.django_db
def test_a_curators_new_shares_show_in_the_table(client):
    track = Track.objects.current().first()
    track.depth_share, track.literacy_share = 45, 5
    track.save()
    page = client.get(reverse("curriculum:tracks")).content.decode()
    table = page[page.index('<table class="specialization">') :]
    row = table[table.index(f">{track.name}</a></th>") :]
    row = row[: row.index("</tr>")]
    assert "45%" in row and "5%" in row and "30%" not in row


@pytest.mark.django_db
def test_the_admin_edits_the_shares_of_a_track(admin_client):
    track = Track.objects.current().first()
    page = admin_client.get(reverse("admin:curriculum_track_change", args=[track.pk]))
    html = page.content.decode()
    assert 'name="depth_share"' in html and 'name="literacy_share"' in html
