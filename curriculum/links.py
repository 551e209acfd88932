"""Resource link health: does each address still lead to the resource, and is it the resource itself?

`check_links` asks every address concurrently, one request at a time per host with a pause between
them, HEAD first and GET when HEAD is refused, following redirects by hand so it knows whether the
address moved for good. `record_checks` writes what it found on the resources. `is_specific` is the
rule for links that point at a site's front page or a channel rather than the resource.
"""

import http.client
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit

from django.utils import timezone

import pages
from curriculum.models import Resource

LINK_FIELDS = ("link_status", "link_status_code", "link_final_url", "link_checked_at")
Status = Resource.LinkStatus

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
GONE = {404, 410}
MAX_REDIRECTS = 10
USER_AGENT = "SkillTreeLinkChecker/1.0 (checks the learning resources a curator listed)"

# Hosts where /@name, /c/name, /channel/id and /user/name are a channel, not a video.
CHANNEL_HOSTS = {"youtube.com"}
CHANNEL_PREFIXES = {"c", "channel", "user"}
# Hosts where a single path segment is a person's or organisation's profile page.
PROFILE_HOSTS = {"github.com", "x.com", "twitter.com"}


@dataclass(frozen=True)
class LinkCheck:
    """What one address answered. `code` is the last HTTP status seen (None when none came back);
    `final_url` where the redirects ended; `note` says why for errors and which redirect for moves."""

    url: str
    status: str
    code: int | None
    final_url: str
    note: str = ""


def is_specific(url):
    """Whether an address points at a resource rather than a site's front page or a channel.

    Not specific: an empty path or "/" with no query (anthropic.com, 3blue1brown.com); a YouTube
    channel (youtube.com/@AndrejKarpathy, /c/…, /channel/…, /user/…, and their tabs); a bare
    profile on a code or social host (github.com/karpathy). Everything else is specific.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if not segments:
        return bool(parts.query)
    if host in CHANNEL_HOSTS and (
        segments[0].startswith("@") or (segments[0] in CHANNEL_PREFIXES and len(segments) > 1)
    ):
        return False
    return not (host in PROFILE_HOSTS and len(segments) == 1)


class _DoNotFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_DoNotFollow)


def _ask(url, method, timeout):
    """One request: (status code, Location header or None)."""
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, None
    except HTTPError as error:
        with error:
            return error.code, error.headers.get("Location")


def _follow(url, method, timeout):
    """Follow redirects from `url`; returns (LinkCheck, whether an HTTP answer came back)."""
    current, moved_by = url, None
    for _ in range(MAX_REDIRECTS + 1):
        try:
            code, location = _ask(current, method, timeout)
        except (TimeoutError, URLError, OSError, ValueError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            note = "timed out" if isinstance(reason, TimeoutError) else str(reason) or "no answer"
            answered = isinstance(error, http.client.HTTPException)
            return LinkCheck(url, Status.ERROR, None, current, note), answered
        if code in REDIRECTS and location:
            if code in PERMANENT_REDIRECTS and moved_by is None:
                moved_by = f"HTTP {code}"
            current = urljoin(current, location)
            continue
        if 200 <= code < 300:
            status = Status.MOVED if moved_by and current != url else Status.OK
            return LinkCheck(url, status, code, current, moved_by or ""), True
        status = Status.DEAD if code in GONE else Status.ERROR
        return LinkCheck(url, status, code, current, f"HTTP {code}"), True
    return LinkCheck(url, Status.ERROR, None, current, "too many redirects"), True


def check_url(url, *, timeout=10.0):
    """HEAD, then GET when HEAD was answered with anything but success (many servers refuse or
    mishandle HEAD). A timeout or a refused connection is not retried."""
    result, answered = _follow(url, "HEAD", timeout)
    if result.status in (Status.OK, Status.MOVED) or not answered:
        return result
    return _follow(url, "GET", timeout)[0]


def host_of(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


def check_links(urls, *, timeout=10.0, delay=1.0, workers=8):
    """Check each distinct address once, hosts in parallel (at most `workers` at once), one request
    at a time per host with `delay` seconds between them. Returns a LinkCheck per address, in the
    order of the sorted addresses."""
    by_host = defaultdict(list)
    for url in sorted(set(urls)):
        by_host[host_of(url)].append(url)

    def check_host(host_urls):
        results = []
        for i, url in enumerate(host_urls):
            if i and delay:
                time.sleep(delay)
            results.append(check_url(url, timeout=timeout))
        return results

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        found = {r.url: r for results in pool.map(check_host, by_host.values()) for r in results}
    return [found[url] for url in sorted(found)]


def record_checks(results):
    """Write each result on every resource with that address. One UPDATE per address."""
    now = timezone.now()
    final_url_length = Resource._meta.get_field("link_final_url").max_length
    for result in results:
        Resource.objects.filter(url=result.url).update(
            link_status=result.status,
            link_status_code=result.code,
            link_final_url=result.final_url if len(result.final_url) <= final_url_length else "",
            link_checked_at=now,
        )
    pages.bump_curriculum()


def forget_check(resource):
    """A resource whose address a curator changed has not been checked yet."""
    resource.link_status = ""
    resource.link_status_code = None
    resource.link_final_url = ""
    resource.link_checked_at = None
