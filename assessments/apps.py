from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from assessments.personal import register_providers
        from assessments.views.audits import keep_visitor_quick_audit

        register_providers()
        user_logged_in.connect(keep_visitor_quick_audit, dispatch_uid="keep_visitor_quick_audit")
