"""Public pages: anyone can browse the whole curriculum.

A signed-in learner also sees their own layer (progress, ladder level, week on the path) where an
app above registered it with `curriculum.personal`.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

import pages
from curriculum.cache import ladder_levels, path_phases, trunks_with_skills
from curriculum.models import (
    Bucket,
    FailureMode,
    Resource,
    Skill,
    Source,
    Track,
    TrackRequirement,
    Trunk,
)
from curriculum.passages import passages
from curriculum.personal import context_for
from curriculum.specialization import specialization_table
from curriculum.treemap import LAYOUTS, tree_map


def _current_resources():
    return Prefetch("resources", queryset=Resource.objects.current(), to_attr="current_resources")


@pages.kept_for_visitors
def home(request):
    trunks = pages.kept("trunks", lambda: list(Trunk.objects.all()))
    return render(
        request,
        "curriculum/home.html",
        {"trunks": trunks, "passages": passages("tree-intro", "big-idea")},
    )


@pages.kept_for_visitors
def tree(request):
    trunks = trunks_with_skills()
    branches = [(trunk, list(trunk.skills.all())) for trunk in trunks]
    skills = [skill for _trunk, trunk_skills in branches for skill in trunk_skills]
    personal = context_for(request, "tree", skills=skills)
    marks = personal.get("marks", {})
    return render(
        request,
        "curriculum/tree.html",
        {
            "maps": [tree_map(branches, layout, marks) for layout in LAYOUTS],
            "rows": [(skill, marks.get(skill.pk)) for skill in skills],
            "passages": passages("tree-intro"),
            "personal": personal,
        },
    )


@pages.kept_for_visitors
def trunk_detail(request, slug):
    trunk = get_object_or_404(Trunk, slug=slug)
    skills = trunk.skills.current().select_related("bucket")
    tracks = Track.objects.current().filter(depth_trunk=trunk)
    return render(
        request,
        "curriculum/trunk.html",
        {"trunk": trunk, "skills": skills, "depth_tracks": tracks},
    )


@pages.kept_for_visitors
def skill_detail(request, slug):
    """A retired skill keeps its page, for the learners whose history links to it, saying it
    was retired, asking search engines not to index it, and with no progress to start."""
    skill = get_object_or_404(
        Skill.objects.select_related("trunk", "bucket").prefetch_related(_current_resources()),
        slug=slug,
    )
    personal = {} if skill.retired else context_for(request, "skill", skill=skill)
    return render(request, "curriculum/skill.html", {"skill": skill, "personal": personal})


def _requirements_by_track(tracks):
    return tracks.prefetch_related(
        Prefetch(
            "requirements",
            queryset=TrackRequirement.objects.select_related("bucket", "level").order_by(
                "bucket__order"
            ),
        )
    )


@pages.kept_for_visitors
def track_list(request):
    tracks = list(
        _requirements_by_track(Track.objects.current()).prefetch_related("literacy_trunks")
    )
    trunks = pages.kept("trunks", lambda: list(Trunk.objects.all()))
    return render(
        request,
        "curriculum/tracks.html",
        {
            "tracks": tracks,
            "trunks": trunks,
            "specialization": specialization_table(tracks, trunks),
            "personal": context_for(request, "tracks", tracks=tracks),
            "buckets": Bucket.objects.all(),
            "passages": passages(
                "skills-map-intro", "big-idea", "reading-levels", "specialization"
            ),
        },
    )


@pages.kept_for_visitors
def track_detail(request, slug):
    track = get_object_or_404(
        _requirements_by_track(Track.objects.all())
        .select_related("depth_trunk")
        .prefetch_related("literacy_trunks"),
        slug=slug,
    )
    requirements = track.requirements.all()
    strongest = max((r.level for r in requirements), key=lambda level: level.target, default=None)
    top_buckets = [r.bucket_id for r in requirements if strongest and r.level == strongest]
    key_skills = (
        Skill.objects.current()
        .filter(bucket__in=top_buckets)
        .select_related("trunk", "bucket")
        .order_by("bucket__order", "trunk__number", "order")
    )
    return render(
        request,
        "curriculum/track.html",
        {
            "track": track,
            "strongest": strongest,
            "key_skills": key_skills,
            "passages": passages("reading-levels"),
            "personal": context_for(request, "track", track=track),
        },
    )


@pages.kept_for_visitors
def ladder(request):
    levels = ladder_levels()
    return render(
        request,
        "curriculum/ladder.html",
        {
            "levels": levels,
            "passages": passages("ladder-caveat", "ladder-intro", "ladder-bridge", "ladder-point"),
            "personal": context_for(request, "ladder"),
        },
    )


@pages.kept_for_visitors
def path_page(request):
    return render(
        request,
        "curriculum/path.html",
        {
            "phases": path_phases(),
            "failure_modes": pages.kept("failure-modes", lambda: list(FailureMode.objects.all())),
            "passages": passages("path-intro", "failure-intro"),
            "personal": context_for(request, "path"),
        },
    )


@pages.kept_for_visitors
def source_list(request):
    return render(
        request,
        "curriculum/sources.html",
        {"sources": pages.kept("sources", lambda: list(Source.objects.all()))},
    )
