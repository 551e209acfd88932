"""Seed prose by key, as the pages that quote it read it."""

import pages
from curriculum.models import Passage


def passages(*keys):
    """The passages with these keys, in one query (none once cached), keyed for templates:
    "tree-intro" becomes `passages.tree_intro`. A key a curator deleted is simply absent."""
    return pages.kept(
        "passages",
        lambda: {p.key.replace("-", "_"): p for p in Passage.objects.filter(key__in=keys)},
        *keys,
    )
