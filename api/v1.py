"""/api/v1/: the API, its OpenAPI 3.1 schema and its documentation page.

Why django-ninja rather than Django REST framework: its operations are plain functions (the
house's thin function views), its request and response types are typed schemas from which the
OpenAPI 3.1 schema is made, with nothing to keep in step by hand (DRF needs drf-spectacular
beside it for that), and it brings no serializer layer between the views and the domain functions.
"""

from django.http import Http404
from ninja import NinjaAPI

from api import curriculum, lead, learner, problems

PROBLEM = {"$ref": "#/components/schemas/ProblemOut"}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def refusals(method, path, operation):
    """The problem statuses an operation may answer, for its schema."""
    statuses = {429: "Too many requests: wait as long as `Retry-After` says."}
    statuses[422] = "The request is not valid: `errors` names each field and why."
    if "{" in path or method in WRITE_METHODS:
        statuses[404] = "No such thing, or it is not yours to see."
    statuses[400] = "The request could not be read: a body that is not JSON, a cursor this API "
    "did not give, a NUL byte."
    if operation.get("security") or path.startswith(("/api/v1/me", "/api/v1/lead")):
        statuses[401] = "No usable token (missing, revoked, expired or its account closed)."
    else:
        statuses[401] = "A token was sent that is not usable (revoked, expired, closed)."
    if method in WRITE_METHODS:
        statuses[403] = "The token is read only."
        statuses[409] = (
            "The thing is in a state that refuses this (a saved audit, a claim changed since "
            "you read it)."
        )
    return statuses


class SkillTreeAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        """The operation's function name: `get_standing`, `put_rating` (each is unique)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema, with every operation's refusals documented as problem details
        (`application/problem+json`), and 304 on reads."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["ProblemOut"] = (
            problems.ProblemOut.json_schema()
        )
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                declared = {
                    int(status): response.get("description", "")
                    for status, response in responses.items()
                    if int(status) >= 400
                }
                for status, description in {
                    **refusals(method, path, operation),
                    **declared,
                }.items():
                    responses[str(status)] = {
                        "description": description,
                        "content": {problems.CONTENT_TYPE: {"schema": PROBLEM}},
                    }
                if method == "get":
                    responses["304"] = {
                        "description": "Not modified: your `If-None-Match` matches."
                    }
        return schema


api = SkillTreeAPI(
    title="Skill Tree API",
    version="1",
    description="Skill Tree's curriculum, open to everyone; a learner's own audits, standing "
    "and progress; and a lead's cohorts and the evidence waiting for their review. A person's "
    "own data is read and written with a personal access token made on their profile page.",
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/curriculum", curriculum.router)
api.add_router("", learner.router)
api.add_router("", lead.router)


def not_found(request, rest=""):
    raise Http404
