from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shouwei.api"
    label = "api"
    verbose_name = "API"
