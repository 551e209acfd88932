from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"

    def ready(self):
        from django.contrib.auth import get_user_model

        from cohorts import closing
        from cohorts.personal import register_providers

        register_providers()
        closing.connect(get_user_model())
