from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Bucket",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                (
                    "name",
                    models.CharField(help_text="“Technical Skills”.", max_length=100, unique=True),
                ),
                (
                    "short_name",
                    models.CharField(
                        help_text="Column heading in the cheat sheet: “Technical”.",
                        max_length=40,
                        unique=True,
                    ),
                ),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("description", models.CharField(blank=True, max_length=200)),
                ("order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="FailureMode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("text", models.TextField()),
            ],
            options={
                "ordering": ["order"],
            },
        ),
        migrations.CreateModel(
            name="LadderLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
                ("subtitle", models.CharField(blank=True, max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("what_it_is", models.TextField()),
                ("description", models.TextField(blank=True)),
                ("what_changes", models.TextField(blank=True)),
                ("examples_heading", models.CharField(blank=True, max_length=100)),
                ("examples", models.TextField(blank=True, help_text="One example a line.")),
                (
                    "lesson",
                    models.CharField(
                        blank=True, help_text="“teaches you to steer intelligence.”", max_length=200
                    ),
                ),
            ],
            options={
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="Passage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("key", models.SlugField(max_length=60, unique=True)),
                ("heading", models.CharField(blank=True, max_length=200)),
                ("body", models.TextField()),
            ],
            options={
                "ordering": ["key"],
            },
        ),
        migrations.CreateModel(
            name="RequirementLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                (
                    "target",
                    models.DecimalField(
                        decimal_places=1,
                        help_text="The rating on the 1–5 scale a learner needs to meet this level.",
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("1")),
                            django.core.validators.MaxValueValidator(Decimal("5")),
                        ],
                    ),
                ),
                ("meaning", models.TextField(blank=True, help_text="How to read this level.")),
                ("order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["order", "target"],
            },
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(unique=True)),
                ("title", models.TextField()),
                ("url", models.URLField(max_length=500, verbose_name="address")),
            ],
            options={
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="Trunk",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                (
                    "number",
                    models.PositiveSmallIntegerField(
                        help_text="Order in the tree, 1–6.", unique=True
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "heading",
                    models.CharField(
                        blank=True,
                        help_text="As the seed writes it: “Trunk one — foundations”.",
                        max_length=120,
                    ),
                ),
                ("summary", models.TextField()),
            ],
            options={
                "ordering": ["number"],
            },
        ),
        migrations.CreateModel(
            name="BaselineQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("text", models.CharField(max_length=200, unique=True)),
                (
                    "topic",
                    models.CharField(
                        help_text="The seed's parenthesis: “Reading papers”.", max_length=100
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "bucket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="questions",
                        to="curriculum.bucket",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PathPhase",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(unique=True)),
                ("weeks_label", models.CharField(help_text="“Weeks 1-3”.", max_length=40)),
                ("start_week", models.PositiveSmallIntegerField()),
                ("end_week", models.PositiveSmallIntegerField()),
                ("name", models.CharField(max_length=100)),
                ("text", models.TextField()),
                ("end_state", models.TextField()),
            ],
            options={
                "ordering": ["order"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end_week__gte", models.F("start_week"))),
                        name="phase_ends_after_it_starts",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SeedLoad",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model", models.CharField(max_length=40)),
                ("seed_key", models.SlugField(max_length=150)),
                ("loaded_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("model", "seed_key"), name="one_load_per_seed_row"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Skill",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("name", models.CharField(max_length=120, unique=True)),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "free_resource",
                    models.CharField(blank=True, max_length=300, verbose_name="free resource"),
                ),
                ("mastery", models.TextField()),
                ("resource_text", models.TextField(blank=True, verbose_name="resource")),
                ("test", models.TextField()),
                (
                    "bucket",
                    models.ForeignKey(
                        help_text="The bucket this skill counts toward when measuring a learner against a track.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="skills",
                        to="curriculum.bucket",
                    ),
                ),
                (
                    "trunk",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="skills",
                        to="curriculum.trunk",
                    ),
                ),
            ],
            options={
                "ordering": ["trunk__number", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Track",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                ("description", models.TextField(blank=True)),
                (
                    "depth_trunk",
                    models.ForeignKey(
                        help_text="The trunk this track goes deep in (“30% of one trunk”).",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="depth_tracks",
                        to="curriculum.trunk",
                    ),
                ),
                (
                    "literacy_trunks",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The trunks this track needs literacy in (“10% of two others”).",
                        related_name="literacy_tracks",
                        to="curriculum.trunk",
                    ),
                ),
            ],
            options={
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="LadderSignal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("text", models.CharField(max_length=300)),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "level",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signals",
                        to="curriculum.ladderlevel",
                    ),
                ),
            ],
            options={
                "ordering": ["level__number", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("level", "text"), name="unique_signal_per_level"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("url", models.URLField(max_length=500, verbose_name="address")),
                ("is_free", models.BooleanField(default=True, verbose_name="free")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("video", "Video"),
                            ("course", "Course"),
                            ("docs", "Documentation"),
                            ("paper", "Paper"),
                            ("book", "Book"),
                            ("article", "Article"),
                            ("tool", "Tool or library"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0)),
                (
                    "retired",
                    models.BooleanField(
                        default=False, help_text="Kept for history, no longer shown to learners."
                    ),
                ),
                (
                    "skill",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resources",
                        to="curriculum.skill",
                    ),
                ),
            ],
            options={
                "ordering": ["skill", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("skill", "url"), name="unique_resource_per_skill"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="TrackRequirement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seed_key",
                    models.SlugField(
                        blank=True,
                        editable=False,
                        help_text="The seed row this is, for good. Empty on rows curators make.",
                        max_length=150,
                        null=True,
                        unique=True,
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        help_text="The cell as the cheat sheet writes it: “Low–Med (literacy)”.",
                        max_length=100,
                    ),
                ),
                (
                    "bucket",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requirements",
                        to="curriculum.bucket",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="curriculum.requirementlevel",
                    ),
                ),
                (
                    "track",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="requirements",
                        to="curriculum.track",
                    ),
                ),
            ],
            options={
                "ordering": ["track", "bucket__order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("track", "bucket"), name="one_requirement_per_bucket"
                    )
                ],
            },
        ),
    ]
