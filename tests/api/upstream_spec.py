"""Validate answers against the upstream PeerTube REST spec, read at test time from `../shared`
(never copied into this repository). Every documented property is required, as clients expect."""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path

import jsonschema
import pytest
import yaml

# The team's reference data sits beside the checkout (`../shared`); a clone elsewhere on the same
# machine finds it through VIDPUB_SHARED_DIR or the workplace's usual place.
_CANDIDATES = [Path(os.environ["VIDPUB_SHARED_DIR"])] if os.environ.get("VIDPUB_SHARED_DIR") else []
_CANDIDATES += [Path(__file__).resolve().parents[3] / "shared", Path("/work/shared")]
SPEC_PATH = next((c / "reference" / "peertube-openapi.yaml" for c in _CANDIDATES
                  if (c / "reference" / "peertube-openapi.yaml").is_file()),
                 _CANDIDATES[0] / "reference" / "peertube-openapi.yaml")


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable`, and PeerTube answering null for unset fields."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _json_schema(value) for key, value in node.items()
           if key not in ("example", "examples", "xml", "pattern", "format", "minLength", "maxLength")}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    if out.pop("nullable", False) or isinstance(out.get("type"), str):
        if any(key in out for key in ("$ref", "allOf", "anyOf")):
            out = {"anyOf": [out, {"type": "null"}]}
        elif isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
    if isinstance(out.get("properties"), dict):
        out["required"] = sorted(set(out.get("required", [])) | set(out["properties"]))
    return out


@functools.lru_cache(maxsize=1)
def _root() -> dict:
    if not SPEC_PATH.is_file():
        pytest.skip(f"upstream spec not found at {SPEC_PATH}")
    return _json_schema(yaml.safe_load(SPEC_PATH.read_text()))


def schema_errors(component: str, body) -> list[str]:
    """Where `body` departs from `#/components/schemas/<component>` (types and completeness)."""
    root = copy.copy(_root())
    root.update({"$ref": f"#/components/schemas/{component}"})
    validator = jsonschema.Draft7Validator(root)
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:200]}"
            for error in validator.iter_errors(body)]
