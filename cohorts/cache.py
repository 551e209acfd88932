"""A lead's cohort pages change only when their learners' rows, the lead's own, a cohort's or the
curriculum do (or the hour turns: a learner becomes "stale" after six weeks): they are cached.

`cached_for_lead` keeps the whole page (or the htmx fragment) per lead and per URL, under one
token for the curriculum version, the versions of the learners the page shows, the lead's own and
the site's `people` version (`assessments.cache.learners_version`), and the hour. A member's
rating, a lead's review, a member joining or leaving, a renamed cohort: each makes a new token, so
the next request renders afresh. The view checks that the user leads the cohort before asking
here, on every request, cached or not.
"""

from assessments.cache import learners_version, this_hour
from curriculum import cache as curriculum_cache

TIMEOUT = 60 * 60


def _cacheable(request):
    return request.method == "GET" and not len(getattr(request, "_messages", ()))


def page_key(request, learner_pks):
    """(the cache key of this lead's view of this URL, the version it must be at), or None when
    the cache cannot be reached.

    The URL is whole (host, path, query string) and the htmx target names the fragment asked
    for; the cohort's pk is in the path."""
    versions = learners_version([*learner_pks, request.user.pk])
    if versions is None:
        return None
    target = request.htmx.target if request.htmx else ""
    url = curriculum_cache.path_key(f"{request.build_absolute_uri()} {target}")
    return f"lead-page:{request.user.pk}:{url}", f"{versions}:{this_hour()}"


def cached_for_lead(request, learner_pks, page, *args):
    """`page(request, *args)`'s response, kept for the next GET of the same URL by the same lead
    while nothing it shows has changed; `learner_pks` are the learners the page shows.

    Costs no query of its own (the caller reads `learner_pks`, one cheap query); POSTs, pending
    messages and an unreachable cache run `page` as if nothing were cached. Each request gets
    its own CSRF token put back into the kept HTML."""
    if not _cacheable(request):
        return page(request, *args)
    kept_as = page_key(request, learner_pks)
    if kept_as is None:
        return page(request, *args)
    key, version = kept_as
    return curriculum_cache.cached_page(key, version, request, page, args, {}, TIMEOUT)
