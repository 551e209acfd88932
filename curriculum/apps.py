from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"

    def ready(self):
        from django.urls import register_converter

        from curriculum.cache import connect_signals
        from curriculum.converters import RowId

        register_converter(RowId, "id")

        connect_signals(self)
