"""What a signed-in person sees of themselves on a lower app's pages: their progress on the
public curriculum pages, their cohorts on the account profile.

The curriculum and accounts know nothing of audits, progress or cohorts. An app above them registers a provider
for a page in its AppConfig.ready (`register("skill", provider)`); the page's view calls
`context_for(request, "skill", skill=skill)` and passes what comes back to its template as
`personal`. A provider takes the request and the page's objects and returns named fragments of
rendered HTML (`{{ personal.progress }}`), so its queries run in the view, where the page's query
count sees them, and the curriculum's templates load nothing from the apps above.
"""

from collections import defaultdict

_providers = defaultdict(list)


def register(page, provider):
    if provider not in _providers[page]:
        _providers[page].append(provider)


def context_for(request, page, **objects):
    """Every registered provider's fragments for `page`, merged; {} when none is registered."""
    fragments = {}
    for provider in _providers[page]:
        fragments.update(provider(request, **objects))
    return fragments
