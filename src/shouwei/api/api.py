from ninja import NinjaAPI

api = NinjaAPI(title="首位 API", version="1", urls_namespace="api")
