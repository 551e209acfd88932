from django.apps import AppConfig


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notices"
    verbose_name = "Email notices"

    def ready(self):
        from cohorts.review import review_recorded
        from notices.due import queue_review_verdict

        review_recorded.connect(queue_review_verdict, dispatch_uid="notices.review_verdict")
