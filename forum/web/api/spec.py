"""Endpoints declared with their schemas: the routes and the OpenAPI document come from here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask import Blueprint

from forum.web.api import schemas

Schema = dict[str, Any]
View = Callable[..., Any]


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    summary: str
    scope: str  # read, write or moderate: what a token needs
    response: Schema
    status: int = 200
    body: Schema | None = None
    query: dict[str, Schema] = field(default_factory=dict)


OPERATIONS: dict[str, Operation] = {}  # endpoint name -> operation
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def operation(bp: Blueprint, rule: str, method: str, **details: Any) -> Callable[[View], View]:
    """Route the view and record what it takes and answers, for the document and the checks."""

    def decorate(view: View) -> View:
        OPERATIONS[f"{bp.name}.{view.__name__}"] = Operation(rule, method, **details)
        bp.add_url_rule(rule, view_func=view, methods=[method])
        return view

    return decorate


def openapi_path(rule: str) -> str:
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule)


def _parameters(op: Operation) -> list[Schema]:
    found = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": schemas.ID if kind == "int" else {"type": "string"},
        }
        for kind, name in _PARAM.findall(op.rule)
    ]
    found += [
        {"name": n, "in": "query", "required": False, "schema": s} for n, s in op.query.items()
    ]
    return found


def _document_operation(endpoint: str, op: Operation) -> Schema:
    doc: Schema = {
        "operationId": endpoint.replace(".", "_"),
        "summary": op.summary,
        "parameters": _parameters(op),
        "security": [{"bearer": [op.scope]}, {"session": []}, {}],
        "responses": {
            str(op.status): {
                "description": "Success",
                "content": {"application/json": {"schema": op.response}},
            },
            "default": {
                "description": "An error",
                "content": {"application/json": {"schema": schemas.ERROR}},
            },
        },
    }
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": op.body}},
        }
    return doc


def document(prefix: str) -> Schema:
    """The OpenAPI 3.1 document for every recorded operation."""
    paths: dict[str, Schema] = {}
    for endpoint, op in sorted(OPERATIONS.items()):
        item = paths.setdefault(openapi_path(prefix + op.rule), {})
        item[op.method.lower()] = _document_operation(endpoint, op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Porch API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": schemas.COMPONENTS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "porch_... token"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
