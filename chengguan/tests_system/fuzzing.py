"""Request generation from the OpenAPI document (hypothesis + hypothesis-jsonschema), and the checks every
answer must pass: no 5xx; a 4xx has a JSON body whose `detail` names the problem."""

import copy
import json
import re

from hypothesis import strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)
NASTY_TEXT = st.sampled_from([
    "", " ", "0", "-1", "999999999999999999999", "1e309", "NaN", "null", "true", "../../etc/passwd",
    "%00", "\x00", "' OR 1=1 --", "<script>alert(1)</script>", "名字" * 40, "a" * 300, "2026-02-30",
    "114.3075,34.8075", "{}", "[]",
])


def resolve(schema, components, depth=0):
    """Inline `#/components/schemas/X` references (recursive ones become 'anything')."""
    if depth > 8:
        return {}
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return resolve(copy.deepcopy(components.get(name, {})), components, depth + 1)
        return {k: resolve(v, components, depth) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve(v, components, depth) for v in schema]
    return schema


def from_schema(schema, depth=0):
    """A strategy for values that mostly fit a JSON schema (the subset django-ninja emits), with some that
    don't: wrong types, out-of-range numbers, overlong strings."""
    if not isinstance(schema, dict) or depth > 6:
        return JSON_VALUES
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return st.one_of([from_schema(s, depth + 1) for s in schema[key]] or [JSON_VALUES])
    if "enum" in schema:
        return st.sampled_from(schema["enum"]) | NASTY_TEXT
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, depth + 1) for k in kind])
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = [k for k in schema.get("required", []) if k in props]
        optional = [k for k in props if k not in required]
        return st.fixed_dictionaries(
            {k: from_schema(props[k], depth + 1) for k in required},
            optional={k: from_schema(props[k], depth + 1) for k in optional},
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), depth + 1), max_size=4)
    if kind == "integer":
        return st.integers(-(2**63), 2**63) | st.integers(-3, 1000)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-200, 200)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return st.datetimes().map(lambda d: d.isoformat()) | NASTY_TEXT
        if fmt == "date":
            return st.dates().map(str) | NASTY_TEXT
        return st.text(max_size=schema.get("maxLength", 40) + 5) | NASTY_TEXT
    return JSON_VALUES


def _safe_from_schema(schema):
    return from_schema(schema)


class Operation:
    def __init__(self, path, method, spec, components):
        self.path, self.method, self.spec = path, method, spec
        self.params = [resolve(p, components) for p in spec.get("parameters", [])]
        body = spec.get("requestBody", {}).get("content", {})
        self.body_schema = resolve(body.get("application/json", {}).get("schema"), components) if body else None
        self.multipart = "multipart/form-data" in body

    def __repr__(self):
        return f"{self.method.upper()} {self.path}"

    def strategy(self, known_ids):
        """A strategy for (path, query dict, body bytes or None, content type)."""
        path_parts = {}
        query = {}
        for p in self.params:
            schema = p.get("schema", {})
            if p.get("in") == "path":
                if schema.get("type") == "integer":
                    path_parts[p["name"]] = st.sampled_from(known_ids) | st.integers(-5, 10**12)
                else:
                    path_parts[p["name"]] = (
                        st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True) | st.sampled_from(["x", "0", "%20", "名"])
                        | st.sampled_from([str(i) for i in known_ids])
                    )
            elif p.get("in") == "query":
                value = _safe_from_schema(schema).map(lambda v: v if isinstance(v, str) else json.dumps(v)) | NASTY_TEXT
                query[p["name"]] = st.none() | value
        if self.body_schema is not None:
            body = st.one_of(
                _safe_from_schema(self.body_schema).map(lambda v: (json.dumps(v), "application/json")),
                JSON_VALUES.map(lambda v: (json.dumps(v), "application/json")),
                st.binary(max_size=40).map(lambda b: (b, "application/json")),
            )
        elif self.method in ("post", "put", "patch"):
            body = st.one_of(
                JSON_VALUES.map(lambda v: (json.dumps(v), "application/json")),
                st.just(("", "application/json")),
                st.binary(max_size=40).map(lambda b: (b, "multipart/form-data; boundary=x")),
            )
        else:
            body = st.just((None, None))

        @st.composite
        def build(draw):
            path = self.path
            for name, strat in path_parts.items():
                value = str(draw(strat))
                path = path.replace("{" + name + "}", re.sub(r"[/?#\s]", "_", value) or "_")
            q = {}
            for name, strat in query.items():
                value = draw(strat)
                if value is not None:
                    q[name] = str(value).replace("\x00", "")
            return path, q, *draw(body)

        return build()


def operations(schema) -> list[Operation]:
    components = schema.get("components", {}).get("schemas", {})
    return [
        Operation(path, method, spec, components)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def problem(response) -> str | None:
    """Why this answer breaks the rules, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if 400 <= status < 500:
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            return f"{status} without a JSON body"
        if not isinstance(body, dict) or not str(body.get("detail") or "").strip():
            return f"{status} without a 'detail' naming the problem: {str(body)[:120]}"
        if not str(body.get("code") or "").strip() or "field" not in body:
            return f"{status} not in the error schema (detail, code, field): {str(body)[:120]}"
    return None


def undocumented(response, operation) -> str | None:
    """Status-code conformance: the answer's status must be one the OpenAPI document lists for the operation."""
    documented = set(operation.spec.get("responses", {}))
    if str(response.status_code) not in documented and "default" not in documented:
        return f"status {response.status_code} not documented (documented: {sorted(documented)})"
    return None


# --- beyond the schema: values no schema-driven generator sends ------------------------------------------------
# Each is (label, percent-encoded value) so that bytes that are not UTF-8 reach the server as they are.
BEYOND_SCHEMA = [
    ("huge integer", "99999999999999999999999"),
    ("huge negative integer", "-99999999999999999999999"),
    ("int64 overflow", "9223372036854775808"),
    ("int64 max", "9223372036854775807"),
    ("sqlite int overflow", "18446744073709551616"),
    ("bad tz offset", "2026-01-01T00:00:00%2B99:00"),
    ("bad tz offset minutes", "2026-01-01T00:00:00-00:99"),
    ("year 0", "0000-01-01T00:00:00"),
    ("year 9999 end", "9999-12-31T23:59:59-23:59"),
    ("NUL byte", "a%00b"),
    ("invalid UTF-8", "%FF%FE%C3"),
    ("lone surrogate", "%ED%A0%80"),
    ("float overflow", "1e999"),
    ("NaN", "NaN"),
    ("empty", ""),
]
PATH_BEYOND_SCHEMA = [
    ("huge integer", "99999999999999999999999"),
    ("int64 overflow", "9223372036854775808"),
    ("NUL byte", "a%00b"),
    ("invalid UTF-8", "%FF%FE"),
]


def beyond_schema_requests(op, known_id):
    """Every query parameter of `op` with every value of BEYOND_SCHEMA (one at a time, the others absent), and
    every path parameter likewise. Yields (label, url, method)."""
    base = op.path
    for p in op.params:
        if p.get("in") == "path":
            base = base.replace("{" + p["name"] + "}", str(known_id))
    for p in op.params:
        if p.get("in") == "query":
            for label, value in BEYOND_SCHEMA:
                yield f"{p['name']}: {label}", f"{base}?{p['name']}={value}", op.method
        elif p.get("in") == "path":
            for label, value in PATH_BEYOND_SCHEMA:
                path = op.path
                for q in op.params:
                    if q.get("in") == "path":
                        path = path.replace("{" + q["name"] + "}", value if q is p else str(known_id))
                yield f"{p['name']} (path): {label}", path, op.method
