"""The curriculum: what there is to learn. It knows nothing of users."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Seeded(models.Model):
    """A row the seed curriculum may have made. `seed_key` names that seed row for good: the
    loader finds rows by it and nothing else, so curators may rename anything else. Rows a
    curator makes have none."""

    seed_key = models.SlugField(
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The seed row this is, for good. Empty on rows curators make.",
    )

    class Meta:
        abstract = True


class SeedLoad(models.Model):
    """A seed row the loader made once. It is never made again, even after a curator deletes
    the row: delete this record too to have `load_curriculum` bring the row back."""

    model = models.CharField(max_length=40)
    seed_key = models.SlugField(max_length=150)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "seed_key"], name="one_load_per_seed_row"),
        ]

    def __str__(self):
        return f"{self.model} {self.seed_key}"


class TrunkQuerySet(models.QuerySet):
    def with_skills_to_learn(self):
        """Trunks with their current skills in order, each with its current free resources
        as `free_resources`: what a phase of the path points a learner to."""
        resources = models.Prefetch(
            "resources",
            queryset=Resource.objects.current().filter(is_free=True),
            to_attr="free_resources",
        )
        return self.prefetch_related(
            models.Prefetch("skills", queryset=Skill.objects.current().prefetch_related(resources))
        )


class Trunk(Seeded):
    number = models.PositiveSmallIntegerField(unique=True, help_text="Order in the tree, 1–6.")
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    heading = models.CharField(
        max_length=120, blank=True, help_text="As the seed writes it: “Trunk one — foundations”."
    )
    summary = models.TextField()

    objects = TrunkQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("curriculum:trunk", args=[self.slug])


class Bucket(Seeded):
    name = models.CharField(max_length=100, unique=True, help_text="“Technical Skills”.")
    short_name = models.CharField(
        max_length=40, unique=True, help_text="Column heading in the cheat sheet: “Technical”."
    )
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.short_name


class CurrentQuerySet(models.QuerySet):
    def current(self):
        """What learners see and new audits use: rows not retired."""
        return self.filter(retired=False)


def retired_field():
    return models.BooleanField(
        default=False,
        help_text="Kept for learners' history, no longer shown to learners or in new audits.",
    )


RECHECK_MONTHS_MAX = 120
"""A re-check is asked for after one month to ten years."""


class Skill(Seeded):
    trunk = models.ForeignKey(Trunk, on_delete=models.PROTECT, related_name="skills")
    bucket = models.ForeignKey(
        Bucket,
        on_delete=models.PROTECT,
        related_name="skills",
        help_text="The bucket this skill counts toward when measuring a learner against a track.",
    )
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    free_resource = models.CharField("free resource", max_length=300, blank=True)
    mastery = models.TextField()
    resource_text = models.TextField("resource", blank=True)
    test = models.TextField()
    retired = retired_field()
    retired_at = models.DateTimeField(
        "retired on",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the skill is retired, cleared when it is restored; its page says so.",
    )
    mastery_version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one each time the mastery text changes; ratings keep the one "
        "they were made against.",
    )
    recheck_months = models.PositiveSmallIntegerField(
        "re-check after (months)",
        null=True,
        blank=True,
        help_text="A lead's verification of this skill's test is due for a re-check after this "
        "many months. Empty: the whole curriculum's setting (Assessments → Re-check policy).",
    )

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["trunk__number", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recheck_months__isnull=True)
                | Q(recheck_months__gte=1, recheck_months__lte=RECHECK_MONTHS_MAX),
                name="skill_recheck_months_1_to_120",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A changed mastery text is a new bar: `mastery_version` goes up by one. Retiring
        dates the retirement (`retired_at`); restoring clears the date."""
        if self.retired != (self.retired_at is not None):
            self.retired_at = timezone.now() if self.retired else None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "retired_at"}
        if self.pk is not None:
            before = Skill.objects.filter(pk=self.pk).values("mastery", "mastery_version").first()
            if before is not None and before["mastery"] != self.mastery:
                self.mastery_version = before["mastery_version"] + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "mastery_version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("curriculum:skill", args=[self.slug])


class Resource(Seeded):
    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        COURSE = "course", "Course"
        DOCS = "docs", "Documentation"
        PAPER = "paper", "Paper"
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        TOOL = "tool", "Tool or library"
        OTHER = "other", "Other"

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField("address", max_length=500)
    is_free = models.BooleanField("free", default=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveSmallIntegerField(default=0)
    retired = retired_field()

    class LinkStatus(models.TextChoices):
        OK = "ok", "OK"
        MOVED = "moved", "Moved"
        DEAD = "dead", "Dead"
        ERROR = "error", "Could not check"

    link_status = models.CharField(
        max_length=10,
        choices=LinkStatus.choices,
        blank=True,
        help_text="What `manage.py check_links` found last time; empty until then.",
    )
    link_status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    link_final_url = models.URLField(
        "final address", max_length=500, blank=True, help_text="Where the address leads now."
    )
    link_checked_at = models.DateTimeField("link checked", null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["skill", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "url"], name="unique_resource_per_skill"),
        ]

    def __str__(self):
        return self.title


class Source(Seeded):
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.TextField()
    url = models.URLField("address", max_length=500)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"[{self.number:02d}] {self.title[:60]}"

    @property
    def label(self):
        return f"[{self.number:02d}]"


class RequirementLevel(Seeded):
    """A level a track can require of a bucket, and the 1–5 rating it means."""

    name = models.CharField(max_length=40, unique=True)
    target = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text="The rating on the 1–5 scale a learner needs to meet this level.",
    )
    meaning = models.TextField(blank=True, help_text="How to read this level.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "target"]

    def __str__(self):
        return f"{self.name} ({self.target})"


class Track(Seeded):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    depth_trunk = models.ForeignKey(
        Trunk,
        on_delete=models.PROTECT,
        related_name="depth_tracks",
        help_text="The trunk this track goes deep in (“30% of one trunk”).",
    )
    literacy_trunks = models.ManyToManyField(
        Trunk,
        related_name="literacy_tracks",
        blank=True,
        help_text="The trunks this track needs literacy in (“10% of two others”).",
    )
    depth_share = models.PositiveSmallIntegerField(
        "depth share (%)",
        default=30,
        validators=[MaxValueValidator(100)],
        help_text="Roughly how much of the depth trunk this track needs, in percent.",
    )
    literacy_share = models.PositiveSmallIntegerField(
        "literacy share (%)",
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="Roughly how much of each literacy trunk this track needs, in percent.",
    )
    retired = retired_field()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("curriculum:track", args=[self.slug])


class TrackRequirement(Seeded):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="requirements")
    bucket = models.ForeignKey(Bucket, on_delete=models.PROTECT, related_name="requirements")
    level = models.ForeignKey(RequirementLevel, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(
        max_length=100, help_text="The cell as the cheat sheet writes it: “Low–Med (literacy)”."
    )

    class Meta:
        ordering = ["track", "bucket__order"]
        constraints = [
            models.UniqueConstraint(fields=["track", "bucket"], name="one_requirement_per_bucket"),
        ]

    def __str__(self):
        return f"{self.track}: {self.bucket} {self.label}"


class BaselineQuestion(Seeded):
    """One of the five questions of the quick audit."""

    text = models.CharField(max_length=200, unique=True)
    topic = models.CharField(max_length=100, help_text="The seed's parenthesis: “Reading papers”.")
    bucket = models.ForeignKey(Bucket, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    retired = retired_field()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class LadderLevelQuerySet(models.QuerySet):
    def with_current_signals(self):
        """Levels with their current (not retired) signals prefetched as `signals`."""
        return self.prefetch_related(
            models.Prefetch("signals", queryset=LadderSignal.objects.current())
        )


class LadderLevel(Seeded):
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    subtitle = models.CharField(max_length=100, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    what_it_is = models.TextField()
    description = models.TextField(blank=True)
    what_changes = models.TextField(blank=True)
    examples_heading = models.CharField(max_length=100, blank=True)
    examples = models.TextField(blank=True, help_text="One example a line.")
    lesson = models.CharField(
        max_length=200, blank=True, help_text="“teaches you to steer intelligence.”"
    )

    objects = LadderLevelQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Level {self.number}: {self.name}"

    def get_absolute_url(self):
        return reverse("curriculum:ladder") + f"#level-{self.number}"

    @property
    def example_list(self):
        return [line for line in self.examples.splitlines() if line.strip()]


class LadderSignal(Seeded):
    level = models.ForeignKey(LadderLevel, on_delete=models.CASCADE, related_name="signals")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    retired = retired_field()

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["level__number", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["level", "text"], name="unique_signal_per_level"),
        ]

    def __str__(self):
        return self.text


class PathPhaseQuerySet(models.QuerySet):
    def with_what_they_teach(self):
        """Phases with their trunks prefetched, each with its skills to learn
        (`TrunkQuerySet.with_skills_to_learn`)."""
        return self.prefetch_related(
            models.Prefetch("trunks", queryset=Trunk.objects.with_skills_to_learn())
        )


class PathPhase(Seeded):
    """A phase of the minimum effective dose path, and the trunks a skill test must be in to
    finish it (assessments.path.phase_trunks reads them)."""

    order = models.PositiveSmallIntegerField(unique=True)
    weeks_label = models.CharField(max_length=40, help_text="“Weeks 1-3”.")
    start_week = models.PositiveSmallIntegerField()
    end_week = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    text = models.TextField()
    end_state = models.TextField()
    trunks = models.ManyToManyField(
        Trunk,
        related_name="path_phases",
        blank=True,
        help_text="The trunks this phase teaches: a skill test passed in one of them finishes "
        "it. None (and not in the depth trunk below): a test in any trunk.",
    )
    in_depth_trunk = models.BooleanField(
        "in the target track's depth trunk",
        default=False,
        help_text="The phase goes deep in the trunk the learner's target track is deep in "
        "(its trunks above are then not used); a learner without a target track may pass a "
        "test in any trunk.",
    )

    objects = PathPhaseQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_week__gte=models.F("start_week")),
                name="phase_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.weeks_label}: {self.name}"

    def get_absolute_url(self):
        return reverse("curriculum:path") + f"#phase-{self.order}"

    @property
    def taught_trunks(self):
        """The phase's trunks, in tree order (prefetched by `with_what_they_teach`)."""
        return sorted(self.trunks.all(), key=lambda trunk: trunk.number)


class FailureMode(Seeded):
    """One of the ways “most people lose the thread”."""

    order = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    text = models.TextField()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class RecheckPolicy(Seeded):
    """The whole curriculum's re-check setting, one row (`scope` "curriculum"): after how many
    months a lead's verification of a test is due for a re-check, for the skills that set none
    of their own (`Skill.recheck_months`; the rule is assessments.recheck)."""

    CURRICULUM = "curriculum"

    scope = models.CharField(
        max_length=20, unique=True, default=CURRICULUM, choices=[(CURRICULUM, "Whole curriculum")]
    )
    months = models.PositiveSmallIntegerField(
        "re-check after (months)",
        null=True,
        blank=True,
        help_text="Empty: verifications never fall due, except for skills with their own setting.",
    )

    class Meta:
        verbose_name = "re-check policy"
        verbose_name_plural = "re-check policy"
        constraints = [
            models.CheckConstraint(condition=Q(scope="curriculum"), name="one_recheck_policy"),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gte=1, months__lte=RECHECK_MONTHS_MAX),
                name="recheck_policy_months_1_to_120",
            ),
        ]

    def __str__(self):
        return f"Re-check after {self.months} months" if self.months else "No re-check"


class Passage(Seeded):
    """A piece of the seeds' prose shown on a page (“The big idea”), editable by curators."""

    key = models.SlugField(max_length=60, unique=True)
    heading = models.CharField(max_length=200, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.heading or self.key

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n\n") if p.strip()]
