from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        import pages
        from curriculum.converters import RowId

        register_converter(RowId, "id")
        # A migration may change the curriculum's rows (the seed's data migration does).
        post_migrate.connect(
            lambda **_kwargs: pages.bump_curriculum(), dispatch_uid="curriculum-version"
        )
