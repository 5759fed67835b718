"""What the application declares, read from the app itself rather than from a hand-kept table: its
operations as OpenAPI describes them, the routes it keeps out of the published schema, and the right
each route requires."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from starlette.routing import Mount, Route

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Operation:
    method: str                                                  # upper case
    path: str                                                    # template, e.g. /api/v1/users/{id}
    parameters: list[dict] = field(default_factory=list)         # OpenAPI parameter objects, refs resolved
    body_content: dict[str, dict] = field(default_factory=dict)  # media type -> schema, refs resolved
    in_published_schema: bool = True

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    def params_in(self, location: str) -> list[dict]:
        return [p for p in self.parameters if p.get("in") == location]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@functools.cache
def introspection_app() -> FastAPI:
    """The production app as `vidpub serve` builds it; nothing touches a database until it is served."""
    from vidpub.app import create_app
    from vidpub.config import load_config

    data_dir = Path(tempfile.gettempdir()) / "vidpub-route-introspection"
    return create_app(load_config(None, data_dir, environ={}), run_workers=False)


def route_contexts(app: FastAPI) -> list[Any]:
    """Every route with its effective path and dependencies. Recent FastAPI keeps included routers
    as branches resolved on demand; older releases flatten them into `app.routes`."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def original(route: Any) -> Any:
    return getattr(route, "original_route", route)


def walk_dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from walk_dependants(sub)


def required_rights(route: Any) -> set:
    """The rights `require_right` guards a route with (its checks carry a `required_right` marker)."""
    if not isinstance(original(route), APIRoute):
        return set()
    return {dep.call.required_right for dep in walk_dependants(route.dependant)
            if getattr(dep.call, "required_right", None) is not None}


def resolve(spec: dict, node: Any, depth: int = 0) -> Any:
    """Inline local `$ref`s (recursive schemas stop resolving after a few levels)."""
    if depth > 6:
        return {}
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = spec
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            return resolve(spec, target, depth + 1)
        return {key: resolve(spec, value, depth) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(spec, item, depth) for item in node]
    return node


def operations_from_openapi(spec: dict) -> list[Operation]:
    operations = []
    for path, item in (spec.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = [resolve(spec, p) for p in shared + (op.get("parameters") or [])]
            body = resolve(spec, op.get("requestBody") or {})
            content = {media: (entry or {}).get("schema") or {}
                       for media, entry in (body.get("content") or {}).items()}
            operations.append(Operation(method.upper(), path, parameters, content))
    return operations


def _schema_of(annotation: Any) -> dict:
    try:
        return TypeAdapter(annotation).json_schema()
    except Exception:  # an annotation pydantic cannot describe: probe it as a string
        return {"type": "string"}


def _dependant_parameters(dependant: Dependant) -> list[dict]:
    found: dict[tuple[str, str], dict] = {}
    for dep in walk_dependants(dependant):
        for location, fields in (("path", dep.path_params), ("query", dep.query_params)):
            for model_field in fields:
                name = getattr(model_field, "alias", None) or model_field.name
                found.setdefault((location, name), {
                    "name": name, "in": location, "schema": _schema_of(model_field.field_info.annotation)})
    return list(found.values())


def _body_content(route: Any) -> dict[str, dict]:
    body_field = getattr(route, "body_field", None)
    if body_field is None:
        return {}
    schema = _schema_of(body_field.field_info.annotation)
    if isinstance(body_field.field_info, params.File):
        return {"multipart/form-data": schema}
    if isinstance(body_field.field_info, params.Form):
        return {"application/x-www-form-urlencoded": schema, "multipart/form-data": schema}
    return {"application/json": schema}


def hidden_operations(app: FastAPI, published: set[tuple[str, str]]) -> list[Operation]:
    """Routes served but kept out of `/api/v1/openapi.json` (web pages, well-known and internal
    routes, mounted directories), described like the published ones."""
    operations: list[Operation] = []
    for route in route_contexts(app):
        target = original(route)
        if isinstance(target, Mount):
            operations.append(Operation("GET", route.path.rstrip("/") + "/{path}", [
                {"name": "path", "in": "path", "schema": {"type": "string"}}], in_published_schema=False))
        elif isinstance(target, APIRoute):
            for method in sorted(set(route.methods or ()) - {"HEAD"}):
                operations.append(Operation(method, route.path_format, _dependant_parameters(route.dependant),
                                            _body_content(route), in_published_schema=False))
        elif isinstance(target, Route):
            for method in sorted(set(route.methods or ()) - {"HEAD"}):
                operations.append(Operation(method, route.path_format, [
                    {"name": name, "in": "path",
                     "schema": {"type": "integer" if type(conv).__name__ == "IntegerConvertor" else "string"}}
                    for name, conv in route.param_convertors.items()], in_published_schema=False))
        # WebSocket routes speak no HTTP request/response: nothing to probe with a body or a query
    return [op for op in operations if op.key not in published]
