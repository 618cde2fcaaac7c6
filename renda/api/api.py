from ninja import NinjaAPI

api = NinjaAPI(title="Renda 智慧人大 API", version="1", urls_namespace="api")
