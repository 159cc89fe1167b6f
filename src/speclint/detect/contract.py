"""api-contract and data-model: operations, shapes and typed entities (SPEC 3.2)."""

from __future__ import annotations

import re

from speclint.detect.base import (
    Context,
    Detection,
    decide,
    evidence,
    not_applicable,
    per_header,
)
from speclint.document import Block
from speclint.models import EVIDENCE_KEPT, Evidence


def _first_line(block: Block, match: re.Match[str] | None) -> int:
    if match is None:
        return block.body_start
    return block.body_start + block.text.count("\n", 0, match.start())


def _search_code(ctx: Context, patterns: tuple[re.Pattern[str], ...], kind: str) -> list[Evidence]:
    found = []
    for block, _ in ctx.code_blocks_where(patterns):
        for pattern in patterns:
            match = pattern.search(block.text)
            if match:
                line = _first_line(block, match)
                found.append(evidence(line, kind, block.text[match.start():].strip()
                                      .split("\n")[0]))
                break
    return found


def _payload_blocks(ctx: Context) -> list[Evidence]:
    """JSON or YAML payloads and schemas in code blocks (both detectors ask)."""
    return list(ctx.shared("payload-blocks", lambda: _find_payload_blocks(ctx)))


def _find_payload_blocks(ctx: Context) -> list[Evidence]:
    """The first EVIDENCE_KEPT payload blocks: code blocks come in line order, and each reader
    keeps at most that many (detect_api two shapes, the data model's attempts five by line)."""
    ev = ctx.vocab.elements["api-contract"]
    json_info, json_body = ev.p("json_info"), ev.p("json_body_code")
    json_key = ev.p("json_key_code")
    yaml_info, yaml_body = ev.p("yaml_info"), ev.p("yaml_body_code")
    languages: dict[str, tuple[bool, bool]] = {}  # info word -> (JSON, YAML), asked once each
    found = []
    for block, _ in ctx.code_blocks:
        lang = block.language
        kinds = languages.get(lang)
        if kinds is None:
            kinds = languages[lang] = (bool(json_info.match(lang)), bool(yaml_info.match(lang)))
        if not (kinds[0] or kinds[1]):
            continue
        body = block.text.strip()
        # a JSON body, possibly after an HTTP request line ("POST https://...")
        looks_json = kinds[0] and json_body.search(body) and json_key.search(body)
        if looks_json or (kinds[1] and yaml_body.match(body)):
            found.append(evidence(block.body_start, "payload", body.split("\n")[0]))
            if len(found) == EVIDENCE_KEPT:
                break
    return found


def _field_tables(ctx: Context, name_pat: re.Pattern[str], type_pat: re.Pattern[str],
                  kind: str, first_column_entity: bool = False) -> list[Evidence]:
    """Tables with a name/field column and a type column."""
    found = []
    verdicts: dict[object, bool] = {}
    for block, _ in ctx.tables:
        header = block.rows[0].cells if block.rows and block.rows[0].header else []
        if len(block.rows) > 1 and per_header(verdicts, header, lambda h: _names_and_types(
                h, name_pat, type_pat, first_column_entity)):
            found.append(evidence(block.start, kind, " | ".join(header)))
    return found


def _names_and_types(header: list[str], name_pat: re.Pattern[str],
                     type_pat: re.Pattern[str], first_column_entity: bool) -> bool:
    """Does a header have a name/field column (or an entity first column) and a type one?"""
    cells = [h.strip("*_` ") for h in header]
    has_name = any(name_pat.search(h) for h in cells) or (first_column_entity
                                                          and len(header) > 2)
    return has_name and any(type_pat.search(h) for h in cells)


def detect_api(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["api-contract"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "api-contract", sections)
    if na:
        return na
    operations: list[Evidence] = list(ctx.operations)
    operations += _search_code(ctx, ev.many("openapi_paths_code"), "openapi-paths")
    operations += _search_code(ctx, ev.many("proto_service_code"), "grpc-service")
    operations += _search_code(ctx, ev.many("graphql_root_code"), "graphql-operation")
    signatures = _search_code(ctx, ev.many("interface_code"), "typed-interface")
    operations += signatures
    shapes = list(signatures) + _payload_blocks(ctx)
    shapes += _search_code(ctx, ev.many("shape_code"), "schema")
    shapes += [evidence(u.line, "inline-payload", u.text)
               for u in ctx.units_of_blocks_where(ev.p("json_inline")) if u.kind != "row"]
    shapes += _field_tables(ctx, ev.p("field_table_name"), ev.p("field_table_type"),
                            "field-table")
    if operations and shapes:
        return decide("api-contract", _dedupe(operations[:3] + shapes[:2]), [], sections)
    reason = "operations-without-shape" if operations else "incomplete"
    return decide("api-contract", [], lambda: _dedupe(
        operations + ctx.mentions("api-contract", "api-mention")), sections, reason)


def detect_data_model(ctx: Context) -> Detection:
    ev = ctx.vocab.elements["data-model"]
    sections = ctx.element_sections(ev)
    na = not_applicable(ctx, "data-model", sections)
    if na:
        return na
    entities = _search_code(ctx, ev.many("entity_code"), "typed-entity")
    entities += _field_tables(ctx, ev.p("column_name"), ev.p("column_type"), "field-table",
                              first_column_entity=True)

    def attempts() -> list[Evidence]:
        found = ctx.mentions("data-model", "data-model-mention", "field_prose")
        if not ctx.operations:
            # a payload example that is not an API request/response describes stored data
            found += _payload_blocks(ctx)
        return _dedupe(found)

    return decide("data-model", _dedupe(entities), attempts, sections)


def _dedupe(items: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[int, str]] = set()
    out = []
    for item in sorted(items, key=lambda e: e.line):
        if (item.line, item.kind) not in seen:
            seen.add((item.line, item.kind))
            out.append(item)
    return out
