#!/usr/bin/env python3
"""Writes receiver-hostile.json: hostile requests at the HTTP level, for HostileCorpusOverHTTPTests.

Run: python3 make_receiver_hostile.py > receiver-hostile.json. The format is described in README.txt beside it.
"""
import json

JSON = [["Content-Type", "application/json"]]
FORM = [["Content-Type", "application/x-www-form-urlencoded"]]
TOKEN_JSON = '{"body":"{{token}}"}'
FILLED_JSON = '{"body":"{{token}}","pad":"{{fill}}"}'

def case(name, status, code=None, **fields):
    item = {"name": name, "expected_status": status, "expected_code": code}
    item.update(fields)
    return item

cases = [
    # Controls: the harness itself works, and the limits are inclusive.
    case("control_json", 200, body=TOKEN_JSON, headers=JSON),
    case("control_form", 200, body="body={{token}}", headers=FORM),
    case("control_bare_text", 200, body="{{token}}", headers=[["Content-Type", "text/plain"]]),
    case("control_chunked", 200, body=TOKEN_JSON, headers=JSON, framing="chunked"),
    case("body_exactly_at_limit", 200, body=FILLED_JSON, body_size=4096, headers=JSON),
    case("chunked_body_exactly_at_limit", 200, body=FILLED_JSON, body_size=4096, headers=JSON, framing="chunked"),
    # Size.
    case("body_one_byte_over_limit", 413, "payload_too_large", body=FILLED_JSON, body_size=4097, headers=JSON),
    case("body_far_over_limit", 413, "payload_too_large", body=FILLED_JSON, body_size=1 << 20, headers=JSON),
    case("chunked_body_one_byte_over_limit", 413, "payload_too_large", body=FILLED_JSON, body_size=4097, headers=JSON, framing="chunked"),
    case("chunked_body_far_over_limit", 413, "payload_too_large", body=FILLED_JSON, body_size=1 << 20, headers=JSON, framing="chunked"),
    case("declared_length_over_limit_nothing_sent", 413, "payload_too_large", body="", headers=JSON, framing="declared", declared_length=10 << 20),
    case("declared_length_longer_than_body_sent", 408, "request_timeout", body=TOKEN_JSON, headers=JSON, framing="declared", declared_length=4000),
    # Content types: nothing that cannot carry a token we read safely.
    case("content_type_image_png", 415, "unsupported_media_type", body=TOKEN_JSON, headers=[["Content-Type", "image/png"]]),
    case("content_type_multipart", 415, "unsupported_media_type", body=TOKEN_JSON, headers=[["Content-Type", "multipart/form-data; boundary=x"]]),
    case("content_type_xml", 415, "unsupported_media_type", body=TOKEN_JSON, headers=[["Content-Type", "application/xml"]]),
    case("content_type_html", 415, "unsupported_media_type", body=TOKEN_JSON, headers=[["Content-Type", "text/html"]]),
    case("content_type_not_a_media_type", 415, "unsupported_media_type", body=TOKEN_JSON, headers=[["Content-Type", "json"]]),
    # Sniffed, by design (DeliveryEnvelope): an empty type is no type, and a JSON body labelled as a form is JSON.
    case("content_type_empty_counts_as_none", 200, body=TOKEN_JSON, headers=[["Content-Type", ""]]),
    case("json_body_mislabelled_as_form_is_read_as_json", 200, body=TOKEN_JSON, headers=FORM),
    # Envelopes.
    case("empty_json_body", 400, body="", headers=JSON),
    case("empty_body_without_type", 400, body=""),
    case("form_with_two_body_fields", 400, "ambiguous_envelope", body="body={{token}}&body={{token}}", headers=FORM),
    case("json_body_is_a_number", 400, "ambiguous_envelope", body='{"body":12345}', headers=JSON),
    case("json_body_is_an_array", 400, "ambiguous_envelope", body='{"body":["{{token}}"]}', headers=JSON),
    case("json_duplicate_body_key", 400, "ambiguous_envelope", body='{"body":"{{token}}","body":"{{token}}"}', headers=JSON),
    case("token_with_trailing_garbage", 400, body="{{token}}.x", headers=[["Content-Type", "text/plain"]]),
    # Methods and paths.
    case("get_on_the_delivery_path", 405, "method_not_allowed", method="GET", body=""),
    case("put_on_the_delivery_path", 405, "method_not_allowed", method="PUT", body=TOKEN_JSON, headers=JSON),
    case("delete_on_the_delivery_path", 405, "method_not_allowed", method="DELETE", body=""),
    case("patch_on_the_delivery_path", 405, "method_not_allowed", method="PATCH", body=TOKEN_JSON, headers=JSON),
    case("post_to_an_unknown_path", 404, "not_found", path="/authy/webhook/../admin", body=TOKEN_JSON, headers=JSON),
    case("post_to_the_health_check", 405, "method_not_allowed", path="/healthz", body=TOKEN_JSON, headers=JSON),
    # Headers. An oversized head gets 431 with a JSON error (RequestReadDeadlineHandler), then the connection closes.
    case("header_larger_than_max_header_size", 431, "header_too_large", body=TOKEN_JSON, headers=JSON + [["X-Pad", "{{x:20000}}"]]),
    case("many_headers_over_max_header_size", 431, "header_too_large", body=TOKEN_JSON, headers=JSON + [["X-Pad-%d" % i, "{{x:100}}"] for i in range(200)]),
    # HTTP framing no proxy should pass, sent byte for byte.
    case("two_different_content_lengths", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
    case("content_length_and_chunked_together", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    case("invalid_chunk_size", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
    case("negative_content_length", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: -1\r\n\r\n"),
    case("non_numeric_content_length", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: ten\r\n\r\n"),
    case("garbage_request_line", 400, raw="HELLO THERE\r\n\r\n"),
    case("nul_byte_in_header", 400, raw="POST {{path}} HTTP/1.1\r\nHost: t\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n"),
]

print(json.dumps({
    "format": 1,
    "max_body_size": 4096,
    "max_header_size": 8192,
    "read_timeout": "2s",
    "cases": cases,
}, indent=1))
