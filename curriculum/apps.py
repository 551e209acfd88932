from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "curriculum"

    def ready(self):
        from curriculum.cache import connect_signals

        connect_signals(self)
