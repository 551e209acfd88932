"""Cursor pagination: each list answers a page of `items` and the `next_cursor` that reads on
from the last of them (null on the last page). A cursor names the last row seen, not a position,
so rows added meanwhile are neither skipped nor repeated. One list reads otherwise: a cohort's
members come as the heatmap pages them (`api.lead.list_members`), and their cursor names the
next page."""

import base64
import binascii

from api.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode(value):
    return base64.urlsafe_b64encode(f"after:{value}".encode()).decode().rstrip("=")


def decode(cursor):
    """The row key a cursor names; 400 for anything that is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "after" or not value.isascii() or not value.isdigit() or len(value) > 18:
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(
            400, "That cursor is not one this API gave: start again without a cursor."
        ) from None


def page_of_list(items, cursor, limit, key=lambda item: item.pk):
    """A page of an ordered list (the curriculum's, kept in memory) after the row `cursor` names."""
    start = 0
    if cursor:
        after = decode(cursor)
        keys = [key(item) for item in items]
        if after not in keys:
            raise Problem(400, "That cursor names a row no longer in this list: start again.")
        start = keys.index(after) + 1
    shown = items[start : start + limit]
    more = start + limit < len(items)
    return {"items": shown, "next_cursor": encode(key(shown[-1])) if more and shown else None}


def page_of_rows(queryset, cursor, limit, *, newest_first=False):
    """A page of a queryset in key order (newest first if asked) after the row `cursor` names:
    one query, one row more than the page to know whether another follows."""
    if cursor:
        after = decode(cursor)
        queryset = queryset.filter(pk__lt=after) if newest_first else queryset.filter(pk__gt=after)
    return page_of_ordered(queryset.order_by("-pk" if newest_first else "pk"), limit)


def page_of_ordered(queryset, limit):
    """The first `limit` rows of an ordered queryset (already read on past the cursor's row),
    with the cursor that names the last of them if more follow."""
    rows = list(queryset[: limit + 1])
    shown = rows[:limit]
    return {
        "items": shown,
        "next_cursor": encode(shown[-1].pk) if len(rows) > limit else None,
    }
