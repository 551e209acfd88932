from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"

    def ready(self):
        from cohorts.personal import register_providers

        register_providers()
