"""Bad requests for one operation, derived from how the app describes it: implausible path values,
malformed and wrong-typed bodies, wrong-typed query parameters. Each probe is plain data; the sweep
sends it as every kind of caller."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.params.app_routes import Operation

# what a path segment may be besides a sensible value: past INTEGER, past BIGINT, not a number,
# a traversal (decoded by the server into `../../…`), a NUL byte
TRAVERSAL = "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"
IMPLAUSIBLE_PATH_VALUES = ("2147483648", "99999999999999999999", "not-a-number", TRAVERSAL, "%00")
PASSWD_MARKER = b"root:x:0:0"

PAGINATION_PROBES = (("start", "-1"), ("count", "100000"), ("sort", "\x00"))
BEYOND_BIGINT = 2**63
BOUNDARY = "vidpubsweepboundary"

JSON_TYPE = {"Content-Type": "application/json"}
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
MULTIPART_TYPE = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
FORM_MEDIA_TYPES = ("multipart/", "application/x-www-form-urlencoded")


@dataclass
class Probe:
    label: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    root_only: bool = False      # deep probes: sent as the caller that gets furthest into the route


def schema_type(schema: dict) -> str | None:
    """The main type of a schema, looking through `anyOf: [X, null]` and friends."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind:
        return kind
    if "enum" in schema:
        return "string" if all(isinstance(v, str) for v in schema["enum"]) else "integer"
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            found = schema_type(sub)
            if found and found != "null":
                return found
    return None


def enum_values(schema: dict) -> list:
    if not isinstance(schema, dict):
        return []
    if "enum" in schema:
        return list(schema["enum"])
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            values = enum_values(sub)
            if values:
                return values
    return []


def object_properties(schema: dict) -> dict[str, dict]:
    if not isinstance(schema, dict):
        return {}
    if schema.get("properties"):
        return schema["properties"]
    merged: dict[str, dict] = {}
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            merged.update(object_properties(sub))
    if not merged and "$defs" in schema:   # a body described by a local model reference
        for sub in schema["$defs"].values():
            merged.update(object_properties(sub))
    return merged


def plausible_path_value(name: str, schema: dict) -> str:
    """A value that could name something on a fresh instance (root is user and account 1)."""
    values = enum_values(schema)
    if values:
        return str(values[0])
    if schema_type(schema) in ("integer", "number"):
        return "1"
    lowered = name.lower()
    if "channel" in lowered:
        return "root_channel"
    if any(word in lowered for word in ("handle", "account", "username", "name")):
        return "root"
    return "1"


def fill_path(op: Operation, value: str | None) -> str:
    path = op.path
    for param in op.params_in("path"):
        schema = param.get("schema") or {}
        chosen = value if value is not None else plausible_path_value(param["name"], schema)
        path = path.replace("{" + param["name"] + "}", chosen)
    return path


def wrong_query_values(schema: dict) -> list[str | list[str]]:
    kind = schema_type(schema)
    if kind == "integer":
        return ["not-a-number", "99999999999999999999"]
    if kind == "number":
        return ["not-a-number"]
    if kind == "boolean":
        return ["maybe"]
    if kind == "array":
        return [["\x00", "not-a-number"]]
    if kind == "object":
        return ["x"]
    if enum_values(schema):
        return ["not-one-of-the-values"]
    return ["\x00", ["1", "2"]]


def wrong_scalar(schema: dict) -> Any:
    kind = schema_type(schema)
    return {"string": 12345, "integer": "not-a-number", "number": "not-a-number", "boolean": "maybe",
            "array": "not-a-list", "object": 1}.get(kind, [])


def extreme_value(schema: dict) -> Any:
    """A value of the right type that storage may not take (NUL in text, past BIGINT), or None."""
    kind = schema_type(schema)
    if kind == "integer":
        return BEYOND_BIGINT
    if kind == "number":
        return 1e308
    if kind == "string" and not enum_values(schema):
        return "\x00"
    if kind == "array":
        return ["\x00"]
    return None


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def body_probes(op: Operation, path: str) -> list[Probe]:
    if op.method == "GET":
        return [Probe("malformed JSON body", path, headers=JSON_TYPE, content=b'{"a":')]
    probes = [
        Probe("malformed JSON body", path, headers=JSON_TYPE, content=b'{"a":'),
        Probe("JSON array body", path, headers=JSON_TYPE, content=b"[]"),
        Probe("JSON string body", path, headers=JSON_TYPE, content=b'"x"'),
        Probe("nested object body", path, headers=JSON_TYPE, content=b'{"field": {"nested": []}}'),
        Probe("malformed urlencoded body", path, headers=FORM_TYPE, content=b"%zz=%%&\xff\xfe=1&a"),
        Probe("truncated multipart body", path, headers=MULTIPART_TYPE,
              content=f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'.encode()),
    ]
    schemas = list(op.body_content.values())
    properties: dict[str, dict] = {}
    for schema in schemas:
        properties.update(object_properties(schema))
    if properties:
        probes.append(Probe("every body field an object", path, headers=JSON_TYPE,
                            content=_json({name: {"nested": []} for name in properties})))
        wrong = {name: wrong_scalar(schema) for name, schema in properties.items()}
        probes.append(Probe("every body field of the wrong type", path, headers=JSON_TYPE,
                            content=_json(wrong)))
        for name, schema in properties.items():
            value = extreme_value(schema)
            if value is not None:
                probes.append(Probe(f"body field {name}={value!r} alone", path, headers=JSON_TYPE,
                                    content=_json({name: value}), root_only=True))
    if any(media.startswith(FORM_MEDIA_TYPES) for media in op.body_content):
        probes += form_probes(path, properties)
    return probes


def form_probes(path: str, properties: dict[str, dict]) -> list[Probe]:
    """For routes that take forms: multipart without its boundary, files where text is expected and
    text where files are expected, repeated fields and NUL bytes."""
    parts = []
    for name, schema in (properties or {"file": {}}).items():
        disposition = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"'
        if schema.get("format") == "binary" or schema_type(schema) is None:
            parts.append(f"{disposition}\r\n\r\nnot a file\r\n")
        else:
            parts.append(f'{disposition}; filename="x.bin"\r\n'
                         "Content-Type: application/octet-stream\r\n\r\n\x00\xff\r\n")
    swapped = ("".join(parts) + f"--{BOUNDARY}--\r\n").encode("latin-1")
    repeated = "&".join(f"{name}=%00&{name}=x" for name in properties or {"a": {}}).encode()
    return [
        Probe("multipart body without boundary", path, headers={"Content-Type": "multipart/form-data"},
              content=b"--x\r\n\r\n"),
        Probe("multipart body with files and fields swapped", path, headers=MULTIPART_TYPE, content=swapped),
        Probe("urlencoded body with repeated fields and NUL", path, headers=FORM_TYPE, content=repeated),
    ]


def query_probes(op: Operation, path: str) -> list[Probe]:
    probes = []
    declared = {p["name"] for p in op.params_in("query")}
    for param in op.params_in("query"):
        if param["name"] in ("start", "count", "sort"):
            continue
        for value in wrong_query_values(param.get("schema") or {}):
            values = value if isinstance(value, list) else [value]
            pairs = [(param["name"], v) for v in values]
            probes.append(Probe(f"query {pairs!r}", path, query=pairs))
    if declared & {"start", "count", "sort"}:
        probes += [Probe(f"query {name}={value!r}", path, query=[(name, value)])
                   for name, value in PAGINATION_PROBES]
    elif op.method == "GET":
        probes.append(Probe("undeclared pagination", path, query=list(PAGINATION_PROBES)))
    return probes


def probes_for(op: Operation) -> list[Probe]:
    plausible = fill_path(op, None)
    probes = []
    if op.params_in("path"):
        probes.append(Probe("plausible path", plausible))
        probes += [Probe(f"path value {value}", fill_path(op, value)) for value in IMPLAUSIBLE_PATH_VALUES]
    return probes + body_probes(op, plausible) + query_probes(op, plausible)
