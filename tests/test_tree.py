"""The tree page: the drawing's layout (a pure function), the learner's marks on it, the page
signed out and signed in, and its query count."""

from decimal import Decimal
from itertools import combinations

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Progress
from assessments.personal import tree_mark
from curriculum.models import Skill, Track, Trunk
from curriculum.treemap import LAYOUTS, NARROW, WIDE, Mark, tree_map
from tests.factories import AuditFactory, ProgressFactory, SkillFactory, UserFactory

# The layout, without a database


def _branches(sizes=(6, 6, 6, 7, 6, 6), long_name=False):
    branches, pk = [], 0
    for number, size in enumerate(sizes, start=1):
        trunk = Trunk(pk=number, number=number, name=f"Trunk {number}", slug=f"trunk-{number}")
        skills = []
        for _order in range(size):
            pk += 1
            name = f"Skill {pk}" + (" with a long and winding name" if long_name else "")
            skills.append(Skill(pk=pk, name=name, slug=f"skill-{pk}"))
        branches.append((trunk, skills))
    return branches


def _overlap(a, b):
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


@pytest.mark.parametrize("geometry", LAYOUTS, ids=lambda g: g.name)
def test_every_trunk_and_skill_is_one_node_linking_to_its_page_inside_the_drawing(geometry):
    branches = _branches()
    drawing = tree_map(branches, geometry)

    links = [node.url for node in drawing.nodes if node.url]
    expected = [trunk.get_absolute_url() for trunk, _skills in branches] + [
        skill.get_absolute_url() for _trunk, skills in branches for skill in skills
    ]
    assert sorted(links) == sorted(expected)
    assert len(links) == len(set(links)) == 6 + 37
    for node in drawing.nodes:
        assert node.x >= 0 and node.x + node.width <= drawing.width
        assert node.y >= 0 and node.y + node.height <= drawing.height
    for a, b in combinations(drawing.nodes, 2):
        assert not _overlap(a, b), f"{a.lines} overlaps {b.lines}"


def test_wide_puts_the_six_trunks_side_by_side_with_their_skills_below():
    drawing = tree_map(_branches(), WIDE)
    trunks = [node for node in drawing.nodes if node.kind == "trunk"]

    assert len({node.y for node in trunks}) == 1
    assert [node.x for node in trunks] == sorted(node.x for node in trunks)
    skills = [node for node in drawing.nodes if node.kind == "skill"]
    column = {trunk.key: trunk for trunk in trunks}
    for trunk_key, first_skill in [(1, 1), (4, 19), (6, 37)]:
        skill = next(node for node in skills if node.key == first_skill)
        assert column[trunk_key].x < skill.x < column[trunk_key].x + column[trunk_key].width
        assert skill.y > column[trunk_key].y
    assert drawing.width > drawing.height


def test_narrow_stacks_the_trunks_top_to_bottom_at_phone_width():
    drawing = tree_map(_branches(), NARROW)
    trunks = [node for node in drawing.nodes if node.kind == "trunk"]

    assert drawing.width == 360
    assert len({node.x for node in trunks}) == 1
    last_skill_of_trunk_one = next(n for n in drawing.nodes if n.key == 6 and n.kind == "skill")
    assert trunks[1].y > last_skill_of_trunk_one.y + last_skill_of_trunk_one.height
    assert drawing.height > 5 * drawing.width


def test_a_long_name_wraps_to_lines_that_fit_and_the_node_grows_to_hold_them():
    short = tree_map(_branches(), WIDE).nodes[-1]
    long = tree_map(_branches(long_name=True), WIDE).nodes[-1]

    assert len(short.lines) == 1 and len(long.lines) > 1
    assert long.height > short.height
    assert " ".join(long.lines) == "Skill 37 with a long and winding name"
    assert all(len(line) * long.size * 0.56 <= long.width for line in long.lines)


def test_a_mark_adds_its_lines_and_its_words_to_the_node():
    mark = Mark(rating="3/5", progress="Learning", state="learning", needs="4", standing="1 short")
    plain = tree_map(_branches(), NARROW).nodes[-1]
    marked = tree_map(_branches(), NARROW, marks={37: mark}).nodes[-1]

    assert plain.detail == () and plain.label == "Skill 37"
    assert marked.detail == ("3/5 · learning", "needs 4 · 1 short")
    assert marked.height > plain.height
    assert marked.label == "Skill 37: rated 3/5, learning, your track needs 4 (1 short)"
    assert marked.text_x > plain.text_x  # room for the progress icon


def _segment(edge):
    """(x1, y1, x2, y2) of a connector "M x y H x2" or "M x y V y2"."""
    _m, x, y, direction, end = edge.split()
    x, y, end = float(x), float(y), float(end)
    return (x, y, end, y) if direction == "H" else (x, y, x, end)


@pytest.mark.parametrize("geometry", LAYOUTS, ids=lambda g: g.name)
def test_no_connector_runs_through_a_node(geometry):
    drawing = tree_map(_branches(), geometry)
    for edge in drawing.edges:
        x1, y1, x2, y2 = _segment(edge)
        for node in drawing.nodes:
            # a tenth of a pixel is rounding
            inside_x = max(x1, x2) > node.x + 0.1 and min(x1, x2) < node.x + node.width - 0.1
            inside_y = max(y1, y2) > node.y + 0.1 and min(y1, y2) < node.y + node.height - 0.1
            assert not (inside_x and inside_y), f"{edge} crosses {node.lines}"


def test_every_skill_and_trunk_hangs_off_a_connector():
    drawing = tree_map(_branches(), WIDE)
    # spine, a bus per row, a drop and a stem per trunk, an elbow per skill
    assert len(drawing.edges) == 1 + 1 + 6 * 2 + 37
    assert drawing.view_box == f"0 0 1120 {drawing.height:g}"


# The learner's mark on a skill


def test_a_mark_says_the_rating_the_progress_and_the_tracks_need():
    learning = Progress(status=Progress.Status.LEARNING)
    mark = tree_mark(learning, 3, Decimal("4.0"))
    assert (mark.rating, mark.progress, mark.state) == ("3/5", "Learning", "learning")
    assert mark.requirement == "needs 4 · 1 short"

    assert tree_mark(None, 3, Decimal("2.5")).requirement == "needs 2.5 · met"
    assert tree_mark(None, 1, Decimal("2.5")).requirement == "needs 2.5 · 1.5 short"
    unrated = tree_mark(None, None, Decimal("3.0"))
    assert (unrated.rating, unrated.state, unrated.requirement) == (
        "not rated",
        "not_started",
        "needs 3",
    )
    assert tree_mark(None, 5, None).requirement == ""


def test_a_verified_test_shows_as_verified_and_an_unreviewed_one_as_passed():
    passed = Progress(status=Progress.Status.TEST_PASSED, evidence_url="https://e.org")
    assert tree_mark(passed, 4, None).state == "test_passed"
    verified = Progress(
        status=Progress.Status.TEST_PASSED, evidence_url="https://e.org", review="verified"
    )
    assert (tree_mark(verified, 4, None).state, tree_mark(verified, 4, None).progress) == (
        "verified",
        "Verified",
    )


# The page


@pytest.mark.django_db
def test_a_visitor_sees_every_skill_drawn_and_listed_with_nothing_personal(client):
    html = client.get(reverse("curriculum:tree")).content.decode()

    for skill in Skill.objects.all():
        assert html.count(f'href="{skill.get_absolute_url()}"') == 4  # three layouts, the table
    assert html.count('<svg class="tree-map') == 3
    assert "to see your ratings and progress on each skill" in html
    assert "rated " not in html and "Your rating" not in html
    assert 'aria-labelledby="tree-map-wide"' in html and 'id="tree-map-wide"' in html


@pytest.mark.django_db
def test_a_learner_sees_their_latest_full_audit_progress_and_track_needs(client):
    linear = Skill.objects.get(slug="linear-algebra")
    learner = UserFactory(target_track=Track.objects.get(slug="research-scientist"))
    AuditFactory(user=learner, days_ago=30, ratings={linear: 1})
    AuditFactory(user=learner, days_ago=2, ratings={linear: 4})
    AuditFactory(user=learner, draft=True, ratings={linear: 5})
    ProgressFactory(user=learner, skill=linear, passed=True, review="verified")
    other = UserFactory()
    AuditFactory(user=other, ratings={"calculus-and-gradients": 5})
    ProgressFactory(user=other, skill=Skill.objects.get(slug="calculus-and-gradients"))
    client.force_login(learner)

    html = client.get(reverse("curriculum:tree")).content.decode()

    needs = learner.target_track.requirements.get(bucket=linear.bucket).level.target
    spoken = f"Linear algebra: rated 4/5, verified, your track needs {needs.normalize():f}"
    assert escape(spoken) in html
    assert "Calculus and gradients: not rated, not started" in html
    # three drawings and the legend
    assert html.count("tree-node--skill tree-node--verified") == 4
    assert html.count("tree-node--skill tree-node--learning") == 1
    assert "<strong>1</strong> test passed (1 verified)" in html
    assert escape(learner.target_track.name) in html
    assert "How the tree shows your progress" in html
    assert "<td>4/5</td><td>Verified</td>" in html


@pytest.mark.django_db
def test_a_learner_without_a_full_audit_or_track_is_told_how_to_get_them(client):
    learner = UserFactory()
    AuditFactory(user=learner, quick=True, answers={1: 4})
    client.force_login(learner)

    html = client.get(reverse("curriculum:tree")).content.decode()

    assert "No full audit saved yet" in html and f'href="{reverse("assessments:audit")}"' in html
    assert "Choose a target track" in html
    assert "not rated, not started" in html
    assert "your track needs" not in html


def _grow(learner, by):
    """`by` more skills, each rated in two audits, with progress on each."""
    first = Skill.objects.order_by("pk").first()
    skills = SkillFactory.create_batch(by, trunk=first.trunk, bucket=first.bucket)
    AuditFactory(user=learner, days_ago=9, ratings=dict.fromkeys(skills, 2))
    AuditFactory(user=learner, days_ago=1, ratings=dict.fromkeys(skills, 3))
    for skill in skills:
        ProgressFactory(user=learner, skill=skill)


@pytest.mark.django_db
@pytest.mark.parametrize("extra_skills", [0, 40])
def test_the_tree_signed_in_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, extra_skills
):
    learner = UserFactory(target_track=Track.objects.first())
    AuditFactory(user=learner, days_ago=20, ratings={"linear-algebra": 3})
    _grow(learner, extra_skills)
    client.force_login(learner)
    # the session, its user, whether they lead (the nav), passages, trunks, skills; progress,
    # latest full audit, its ratings, the target track's requirements, the curriculum's re-check
    # months
    with django_assert_num_queries(11):
        response = client.get(reverse("curriculum:tree"))
    assert response.status_code == 200
    assert response.content.decode().count(": rated 3/5, learning") == 3 * extra_skills


@pytest.mark.django_db
def test_the_cheat_sheet_and_the_trees_table_sit_in_labelled_scrollers(client):
    for page, caption in [("tracks", "cheat-sheet-caption"), ("tree", "tree-table-caption")]:
        html = client.get(reverse(f"curriculum:{page}")).content.decode()
        scroller = (
            f'<div class="table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
        )
        assert scroller in html
        assert f'<caption id="{caption}">' in html
