from django.core.management.base import BaseCommand

from curriculum.links import check_links, record_checks
from curriculum.models import Resource


class Command(BaseCommand):
    help = (
        "Check every resource's address (concurrently, politely per host), record what each "
        "answered on the resource, and print the dead and moved ones. Always exits 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument(
            "--delay", type=float, default=1.0, help="Seconds between requests to one host."
        )
        parser.add_argument("--workers", type=int, default=8, help="Hosts checked at once.")

    def handle(self, *args, timeout, delay, workers, **options):
        titles = {}
        for url, title in Resource.objects.values_list("url", "title"):
            titles.setdefault(url, title)
        results = check_links(titles, timeout=timeout, delay=delay, workers=workers)
        record_checks(results)
        counts = dict.fromkeys(Resource.LinkStatus.values, 0)
        for result in results:
            counts[result.status] += 1
            if result.status == Resource.LinkStatus.DEAD:
                self.stdout.write(f"dead   {result.url} (HTTP {result.code}) {titles[result.url]}")
            elif result.status == Resource.LinkStatus.MOVED:
                self.stdout.write(
                    f"moved  {result.url} → {result.final_url} ({result.note}) {titles[result.url]}"
                )
        summary = ", ".join(
            f"{n} {Resource.LinkStatus(s).label.lower()}" for s, n in counts.items()
        )
        self.stdout.write(f"Checked {len(results)} addresses: {summary}.")
