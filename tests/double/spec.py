"""The Discord double held to Discord's published OpenAPI description of its HTTP API.

``discord_api_spec/openapi.json`` is Discord's own description (repository discord/discord-api-spec,
file ``specs/openapi.json``; commit and licence in ``discord_api_spec/SOURCE.md`` and ``LICENSE``).
:class:`SpecCheck` finds the operation of every request the double receives (method and path
template), and validates against it, with ``jsonschema`` (Draft 2020-12, which OpenAPI 3.1 uses):

* the request: its query parameters are ones the operation documents, and its JSON body (or a
  multipart body's ``payload_json``) matches the request schema;
* the response the double returns: its status is one the operation documents, a 204 has no body,
  and a JSON body matches the schema of that status.

Problems are strings (``"POST /channels/1/messages: request: ..."``); the ``discord_double``
fixture fails the test when there are any. Validators are compiled once per schema and process.
Rules the description cannot express are enforced by the double itself (``server/``), each with
the Discord documentation page it comes from.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_FILE = Path(__file__).resolve().parent / "discord_api_spec" / "openapi.json"
_BASE = "urn:discord-api-spec"


@dataclass(frozen=True)
class Operation:
    """One documented operation: ``method`` (upper case) on ``template`` (``/channels/{channel_id}``)."""

    method: str
    template: str
    pattern: re.Pattern[str]
    literal_chars: int  # more literal characters = a more specific template

    @property
    def pointer(self) -> str:
        escaped = self.template.replace("~", "~0").replace("/", "~1")
        return f"#/paths/{escaped}/{self.method.lower()}"


@functools.cache
def _spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return data


@functools.cache
def _registry() -> Registry[Any]:
    resource = Resource.from_contents(_spec(), default_specification=DRAFT202012)
    return Registry().with_resource(_BASE, resource)


@functools.cache
def _operations() -> tuple[Operation, ...]:
    found = []
    for template, item in _spec()["paths"].items():
        regex = re.sub(r"\\\{[^/]+?\\\}", r"[^/]+", re.escape(template))
        literal = len(re.sub(r"\{[^/]+?\}", "", template))
        for method in item:
            if method in ("get", "put", "post", "patch", "delete"):
                found.append(Operation(method.upper(), template, re.compile(regex + "/?"), literal))
    return tuple(found)


def find_operation(method: str, path: str) -> Operation | None:
    """The documented operation for ``method path`` (the most specific template), or ``None``."""
    matches = [o for o in _operations() if o.method == method and o.pattern.fullmatch(path)]
    return max(matches, key=lambda o: o.literal_chars) if matches else None


def _resolve(pointer: str) -> Any:
    node: Any = _spec()
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@functools.cache
def _validator(pointer: str) -> Draft202012Validator:
    """A validator for the schema at ``pointer`` (refs resolve within the whole description)."""
    return Draft202012Validator({"$ref": f"{_BASE}{pointer}"}, registry=_registry())


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _errors(pointer: str, instance: Any) -> list[str]:
    validator = _validator(pointer)
    best = [_describe(e) for e in validator.iter_errors(instance)]
    return best[:3]


def _describe(error: ValidationError) -> str:
    # anyOf/oneOf: follow the branch with the fewest errors, down to its deepest error.
    while error.context:
        branches: dict[object, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        closest = min(branches.values(), key=len)
        error = max(closest, key=lambda e: len(e.absolute_path))
    where = "/".join(str(p) for p in error.absolute_path) or "(body)"
    return f"{where}: {error.message[:300]}"


def _status_key(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return key
    return None


def _snowflakes_as_strings(body: Any) -> Any:
    """Ids the description types as strings but Discord takes as integers too, as strings.

    Discord's reference: snowflakes "are always returned as strings" (so clients may send
    integers: https://discord.com/developers/docs/reference#snowflakes), and its file-upload
    example numbers ``attachments[].id`` 0, 1, ... as integers
    (https://discord.com/developers/docs/reference#uploading-files). discord.py sends both.
    """
    if not isinstance(body, dict):
        return body
    out = dict(body)
    if isinstance(out.get("attachments"), list):
        out["attachments"] = [
            {**a, "id": str(a["id"])} if isinstance(a, dict) and isinstance(a.get("id"), int) else a
            for a in out["attachments"]
        ]
    mentions = out.get("allowed_mentions")
    if isinstance(mentions, dict):
        out["allowed_mentions"] = {
            k: [str(x) for x in v] if k in ("roles", "users") and isinstance(v, list) else v
            for k, v in mentions.items()
        }
    if isinstance(out.get("data"), dict):  # an interaction callback's message
        out["data"] = _snowflakes_as_strings(out["data"])
    return out


def check_request(method: str, path: str, query: dict[str, str], body: Any) -> list[str]:
    """Problems of one request the double received (empty if it matches the description)."""
    operation = find_operation(method, path)
    if operation is None:
        return [f"{method} {path}: no such operation in Discord's API description"]
    problems = []
    item = _resolve(f"#/paths/{_escape(operation.template)}")
    op = item[operation.method.lower()]
    params = [*item.get("parameters", []), *op.get("parameters", [])]
    known = {p["name"] for p in params if p.get("in") == "query"}
    problems += [
        f"query parameter {name!r} is not documented" for name in query if name not in known
    ]
    content = op.get("requestBody", {}).get("content", {})
    if body is not None:
        if "application/json" in content:
            pointer = f"{operation.pointer}/requestBody/content/application~1json/schema"
            problems += [f"request {e}" for e in _errors(pointer, _snowflakes_as_strings(body))]
        else:
            problems.append("a request body where the operation takes none")
    return [f"{method} {path}: {p}" for p in problems]


def check_response(method: str, path: str, status: int, body: bytes | None) -> list[str]:
    """Problems of one response the double returned (empty if it matches the description)."""
    operation = find_operation(method, path)
    if operation is None:
        return []  # reported for the request
    if status >= 500:
        # Not in the description: Discord may answer any request with a 5xx (its documentation,
        # https://discord.com/developers/docs/topics/opcodes-and-status-codes#http).
        return []
    op = _resolve(operation.pointer)
    responses = op.get("responses", {})
    key = _status_key(responses, status)
    if key is None:
        return [f"{method} {path}: status {status} is not one the operation documents"]
    where = f"{operation.pointer}/responses/{_escape(key)}"
    response = responses[key]
    if "$ref" in response:
        where = response["$ref"]
        response = _resolve(where)
    content = response.get("content", {})
    if status == 204 or not content:
        return [] if not body else [f"{method} {path}: {status} must have no body"]
    if not body:
        return [f"{method} {path}: {status} needs a JSON body"]
    try:
        data = json.loads(body)
    except ValueError:
        return [f"{method} {path}: {status} body is not JSON"]
    pointer = f"{where}/content/application~1json/schema"
    if isinstance(data, dict) and isinstance(data.get("errors"), dict):
        data = {**data, "errors": _field_codes_as_numbers(data["errors"])}
    return [f"{method} {path}: response {status} {e}" for e in _errors(pointer, data)]


def _field_codes_as_numbers(errors: Any) -> Any:
    """Field errors with their codes as 0. The description types every error ``code`` as an
    integer, but Discord's documentation shows field errors with string codes
    (``"code": "BASE_TYPE_CHOICES"``, https://discord.com/developers/docs/reference#error-messages),
    which is what Discord sends and what the double sends."""
    if isinstance(errors, dict):
        return {
            key: [
                {**e, "code": 0} if isinstance(e, dict) and isinstance(e.get("code"), str) else e
                for e in value
            ]
            if key == "_errors" and isinstance(value, list)
            else _field_codes_as_numbers(value)
            for key, value in errors.items()
        }
    return errors
