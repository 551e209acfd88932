"""The public curriculum: trunks, skills, tracks with their requirements, the ladder, the path, and
the whole framework file. Read from the same kept reads as the public pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router

import pages
from api import auth, cursor
from api.schemas import (
    LadderOut,
    PageQuery,
    PathOut,
    SkillOut,
    SkillPage,
    TrackOut,
    TrackPage,
    TrunkOut,
    TrunkPage,
)
from curriculum.cache import ladder_levels, path_phases, trunks_with_skills
from curriculum.framework import export_framework
from curriculum.models import Skill, Track, TrackRequirement

router = Router(tags=["Curriculum"], auth=auth.anyone)


def trunk_out(trunk):
    return {
        "number": trunk.number,
        "slug": trunk.slug,
        "name": trunk.name,
        "heading": trunk.heading,
        "summary": trunk.summary,
        "skills": [skill.slug for skill in trunk.skills.all()],
    }


def skill_out(skill, trunk_slug, bucket_slug):
    return {
        "id": skill.pk,
        "slug": skill.slug,
        "name": skill.name,
        "trunk": trunk_slug,
        "bucket": bucket_slug,
        "order": skill.order,
        "mastery": skill.mastery,
        "test": skill.test,
        "free_resource": skill.free_resource,
        "mastery_version": skill.mastery_version,
        "retired": skill.retired,
    }


def track_out(track):
    return {
        "id": track.pk,
        "slug": track.slug,
        "name": track.name,
        "order": track.order,
        "description": track.description,
        "depth_trunk": track.depth_trunk.slug if track.depth_trunk else None,
        "literacy_trunks": [trunk.slug for trunk in track.literacy_trunks.all()],
        "requirements": [
            {
                "bucket": requirement.bucket.slug,
                "level": requirement.level.name,
                "target": requirement.level.target,
                "label": requirement.label,
            }
            for requirement in track.requirements.all()
        ],
        "retired": track.retired,
    }


def tracks():
    """Tracks with their requirements, trunks and levels, as the tracks page reads them."""
    return Track.objects.select_related("depth_trunk").prefetch_related(
        "literacy_trunks",
        Prefetch(
            "requirements",
            queryset=TrackRequirement.objects.select_related("bucket", "level").order_by(
                "bucket__order"
            ),
        ),
    )


def current_skills():
    return [
        skill_out(skill, trunk.slug, skill.bucket.slug)
        for trunk in trunks_with_skills()
        for skill in trunk.skills.all()
    ]


@router.get("/trunks", response=TrunkPage, summary="The trunks, in tree order")
def list_trunks(request, page: Query[PageQuery]):
    items = [trunk_out(trunk) for trunk in trunks_with_skills()]
    return cursor.page_of_list(items, page.cursor, page.limit, key=lambda item: item["number"])


@router.get("/trunks/{slug}", response=TrunkOut, summary="One trunk and its skills")
def get_trunk(request, slug: str):
    trunk = next((t for t in trunks_with_skills() if t.slug == slug), None)
    if trunk is None:
        raise Http404("No such trunk.")
    return trunk_out(trunk)


@router.get("/skills", response=SkillPage, summary="The current skills, trunk by trunk")
def list_skills(request, page: Query[PageQuery]):
    items = pages.kept("api-current-skills", current_skills)
    return cursor.page_of_list(items, page.cursor, page.limit, key=lambda item: item["id"])


@router.get("/skills/{slug}", response=SkillOut, summary="One skill (a retired one too)")
def get_skill(request, slug: str):
    skill = get_object_or_404(Skill.objects.select_related("trunk", "bucket"), slug=slug)
    return skill_out(skill, skill.trunk.slug, skill.bucket.slug)


@router.get("/tracks", response=TrackPage, summary="The current tracks with their requirements")
def list_tracks(request, page: Query[PageQuery]):
    items = pages.kept(
        "api-tracks", lambda: [track_out(track) for track in tracks().filter(retired=False)]
    )
    return cursor.page_of_list(items, page.cursor, page.limit, key=lambda item: item["id"])


@router.get("/tracks/{slug}", response=TrackOut, summary="One track with its requirements")
def get_track(request, slug: str):
    return track_out(get_object_or_404(tracks(), slug=slug))


@router.get("/ladder", response=LadderOut, summary="The ladder's levels and their signals")
def get_ladder(request):
    return {
        "levels": [
            {
                "number": level.number,
                "slug": level.slug,
                "name": level.name,
                "subtitle": level.subtitle,
                "what_it_is": level.what_it_is,
                "signals": [{"id": s.pk, "text": s.text} for s in level.signals.all()],
            }
            for level in ladder_levels()
        ]
    }


@router.get("/path", response=PathOut, summary="The 20-week path's phases")
def get_path(request):
    return {
        "phases": [
            {
                "order": phase.order,
                "weeks": phase.weeks_label,
                "start_week": phase.start_week,
                "end_week": phase.end_week,
                "name": phase.name,
                "text": phase.text,
                "end_state": phase.end_state,
                "trunks": [trunk.slug for trunk in phase.taught_trunks],
                "in_depth_trunk": phase.in_depth_trunk,
            }
            for phase in path_phases()
        ]
    }


@router.get(
    "/framework",
    response=dict,
    summary="The whole curriculum as one framework file",
    description="A skilltree-framework document (version 1): trunks, buckets, skills with "
    "their resources, tracks and their requirements, the quick audit's questions, the ladder, "
    "the path and the sources, as an administrator exports it and another Skill Tree imports "
    "it.",
)
def get_framework(request):
    return pages.kept("api-framework", export_framework)
