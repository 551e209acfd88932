from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import signals  # connects the deleted-account receiver

        signals.connect_address_signals()
