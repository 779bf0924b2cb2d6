#!/usr/bin/env python3
"""Regenerates hostile.json (see README.txt). Standard library plus `cryptography` (for real RS256/ES256 signatures).

Run from this folder: python3 make_hostile.py > hostile.json
The RS256/ES256 cases use fresh throwaway keys, so their bytes change on every run; their expected results do not.
"""
import base64, hashlib, hmac, json, sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

KEY = "WSK_example_signing_key"
NOW = 1497654060
REFERENCE = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cmwiOiJodHRwczovL2V4YW1wbGUuY29tL2F1dGh5L3dlYmhvb2siLCJwYXJhbXMiOnsiZXZlbnRzIjpbeyJldmVudCI6InBob25lX3ZlcmlmaWNhdGlvbl9zdGFydGVkIiwib2JqZWN0cyI6eyJhcHAiOnsic19pZCI6IjEyMzQ1Iiwic190eXBlIjoiZnVsbCJ9LCJwaG9uZV92ZXJpZmljYXRpb24iOnsic19pZCI6InB2XzEiLCJzX3N0YXR1cyI6InBlbmRpbmciLCJpX2NvZGVfbGVuZ3RoIjo0fX0sInJlcXVlc3QiOnsiaWQiOiJyZXFfMSIsImlwIjoiMjAzLjAuMTEzLjcifSwidGltZSI6IjIwMTctMDYtMTZUMjM6MDA6MDBaIn1dfSwiaWF0IjoxNDk3NjU0MDAwfQ.sYM9X_1PUbL7ud9JMxtYEEULMfvA0Kp-FUcySjW_kJk"
)
CLAIMS = json.dumps({
    "url": "https://example.com/authy/webhook",
    "params": {"events": [{"event": "user_added", "request": {"id": "req_2"}, "time": "2017-06-16T23:01:00Z"}]},
    "iat": NOW,
}, separators=(",", ":"))
HS256 = '{"alg":"HS256","typ":"JWT"}'
JSON, FORM, TEXT = "application/json", "application/x-www-form-urlencoded", "text/plain"


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(header, claims, key=KEY, digest=hashlib.sha256):
    """header and claims are texts (or bytes); returns a compact token."""
    signing_input = b64(header) + "." + b64(claims)
    signature = hmac.new(key.encode(), signing_input.encode(), digest).digest()
    return signing_input + "." + b64(signature)


def rs256(claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signing_input = b64('{"alg":"RS256","typ":"JWT"}') + "." + b64(claims)
    return signing_input + "." + b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))


def es256(claims):
    key = ec.generate_private_key(ec.SECP256R1())
    signing_input = b64('{"alg":"ES256","typ":"JWT"}') + "." + b64(claims)
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def envelope(token):
    return json.dumps({"body": token})


cases = []


def case(name, content_type, body, status, code=None, events=None):
    entry = {"name": name, "content_type": content_type}
    if isinstance(body, bytes):
        entry["body_base64"] = base64.b64encode(body).decode()
    else:
        entry["body"] = body
    entry["expected_status"] = status
    entry["expected_code"] = code
    if events is not None:
        entry["expected_event_types"] = events
    cases.append(entry)


good = sign(HS256, CLAIMS)
h, p, s = good.split(".")
ref_h, ref_p, ref_s = REFERENCE.split(".")

# Controls that must be accepted.
case("reference_fixture_json", JSON, envelope(REFERENCE), 200, events=["phone_verification_started"])
case("reference_fixture_form", FORM, "body=" + REFERENCE, 200, events=["phone_verification_started"])
case("reference_fixture_bare", TEXT, REFERENCE, 200, events=["phone_verification_started"])
case("reference_fixture_bare_no_type_trailing_newline", None, REFERENCE + "\r\n", 200,
     events=["phone_verification_started"])
case("json_extra_keys", JSON, json.dumps({"id": 1, "body": good, "meta": {"a": [1, 2]}}), 200, events=["user_added"])
case("json_escaped_token", JSON, '{"body":"' + good.replace("e", "\\u0065") + '"}', 200, events=["user_added"])
case("form_percent_encoded_with_other_fields", FORM,
     "webhook=a+b&body=" + good.replace("e", "%65").replace("_", "%5F").replace("-", "%2d") + "&x=%26", 200,
     events=["user_added"])
case("json_plus_json_type_with_charset", "application/jose+json; charset=utf-8", envelope(good), 200,
     events=["user_added"])
case("kid_jku_x5u_ignored_when_correctly_signed", JSON,
     envelope(sign('{"alg":"HS256","kid":"attacker","jku":"https://attacker.example/jwks","x5u":"https://attacker.example/c"}',
                   CLAIMS)), 200, events=["user_added"])
case("exp_within_leeway", JSON, envelope(sign(HS256, json.dumps({"exp": NOW - 30, "params": {"events": []}}))), 200,
     events=[])
case("payload_10_levels_deep", JSON,
     envelope(sign(HS256, '{"params":{"events":[{"event":"user_added","objects":' + '{"a":' * 10 + "1" + "}" * 10
                   + "}]}}")), 200, events=["user_added"])
case("payload_10000_levels_deep_stored_as_unknown", JSON,
     envelope(sign(HS256, '{"params":{"events":[{"event":"x","objects":' + "[" * 10000 + "]" * 10000 + "}]}}")),
     200, events=[None])
case("payload_not_json_stored_as_unknown", JSON, envelope(sign(HS256, "this is not json")), 200, events=[None])
case("payload_not_utf8_stored_as_unknown", JSON, envelope(sign(HS256, b"\xff\xfe{}")), 200, events=[None])
case("payload_duplicate_keys_stored_as_unknown", JSON,
     envelope(sign(HS256, '{"params":{"events":[{"event":"a"}]},"params":{"events":[]}}')), 200, events=[None])

# Algorithms other than HS256.
# An unsecured JWS (RFC 7519 §6): the algorithm is refused, not the empty signature segment.
for alg in ["none", "None", "NONE"]:
    case("alg_%s_empty_signature" % alg, JSON, envelope(b64('{"alg":"%s","typ":"JWT"}' % alg) + "." + b64(CLAIMS) + "."),
         401, "unsupported_algorithm")
for alg in ["none", "None", "NONE", "hs256"]:
    case("alg_%s_with_hmac_signature" % alg, JSON, envelope(sign('{"alg":"%s","typ":"JWT"}' % alg, CLAIMS)), 401,
         "unsupported_algorithm")
case("alg_HS384_real_signature", JSON, envelope(sign('{"alg":"HS384","typ":"JWT"}', CLAIMS, digest=hashlib.sha384)),
     401, "unsupported_algorithm")
case("alg_HS512_real_signature", JSON, envelope(sign('{"alg":"HS512","typ":"JWT"}', CLAIMS, digest=hashlib.sha512)),
     401, "unsupported_algorithm")
case("alg_RS256_real_signature", JSON, envelope(rs256(CLAIMS)), 401, "unsupported_algorithm")
case("alg_ES256_real_signature", JSON, envelope(es256(CLAIMS)), 401, "unsupported_algorithm")
case("key_confusion_rs256_header_hmac_signed", JSON, envelope(sign('{"alg":"RS256","typ":"JWT"}', CLAIMS)), 401,
     "unsupported_algorithm")
case("alg_missing", JSON, envelope(sign('{"typ":"JWT"}', CLAIMS)), 401, "unsupported_algorithm")
case("alg_not_a_string", JSON, envelope(sign('{"alg":["HS256"]}', CLAIMS)), 401, "unsupported_algorithm")
case("crit_header", JSON, envelope(sign('{"alg":"HS256","crit":["b64"],"b64":false}', CLAIMS)), 401,
     "unsupported_algorithm")

# Keys and signatures.
case("wrong_key", JSON, envelope(sign(HS256, CLAIMS, key="WSK_wrong")), 401, "invalid_signature")
case("kid_jku_x5u_pointing_elsewhere_wrong_key", JSON,
     envelope(sign('{"alg":"HS256","kid":"attacker","jku":"https://attacker.example/jwks","x5u":"https://attacker.example/c"}',
                   CLAIMS, key="attacker")), 401, "invalid_signature")
case("embedded_jwk_signed_with_that_key", JSON,
     envelope(sign('{"alg":"HS256","jwk":{"kty":"oct","k":"%s"}}' % b64("attacker"), CLAIMS, key="attacker")), 401,
     "invalid_signature")
case("signature_stripped", JSON, envelope(h + "." + p + "."), 400, "malformed_token")
case("signature_of_another_token", JSON, envelope(h + "." + p + "." + ref_s), 401, "invalid_signature")
case("signature_truncated_to_30_bytes", JSON, envelope(h + "." + p + "." + s[:40]), 401, "invalid_signature")
case("signature_64_bytes", JSON, envelope(h + "." + p + "." + b64(bytes(64))), 401, "invalid_signature")
flipped = p[:20] + ("B" if p[20] == "A" else "A") + p[21:]
case("payload_byte_changed", JSON, envelope(h + "." + flipped + "." + s), 401, "invalid_signature")
case("header_changed", JSON, envelope(b64('{"alg":"HS256","typ":"JWS"}') + "." + p + "." + s), 401,
     "invalid_signature")
# 32 bytes are 43 characters whose last carries 2 unused (zero) bits; the next letter sets one of them.
case("non_canonical_signature_bits", JSON, envelope(h + "." + p + "." + s[:-1] + chr(ord(s[-1]) + 1)), 400,
     "malformed_token")
# ~59 KB tokens: as large as possible while the whole body stays under the receiver's default MaxBodySize (64 KiB).
case("huge_header_59KB_token_wrong_key", JSON, envelope(sign('{"alg":"HS256","pad":"' + "A" * 44000 + '"}', CLAIMS,
                                                            key="WSK_wrong")), 401, "invalid_signature")
case("huge_header_59KB_token_alg_none", JSON, envelope(sign('{"alg":"none","pad":"' + "A" * 44000 + '"}', CLAIMS)),
     401, "unsupported_algorithm")
case("huge_header_59KB_token_correctly_signed", JSON, envelope(sign('{"alg":"HS256","pad":"' + "A" * 44000 + '"}',
                                                                   CLAIMS)), 200, events=["user_added"])

# Token structure.
case("two_segments", JSON, envelope(h + "." + p), 400, "malformed_token")
case("four_segments", JSON, envelope(good + "." + s), 400, "malformed_token")
case("empty_header_segment", JSON, envelope("." + p + "." + s), 400, "malformed_token")
case("empty_payload_segment", JSON, envelope(h + ".." + s), 400, "malformed_token")
case("only_dots", TEXT, "..", 400, "malformed_token")
case("non_base64url_star", JSON, envelope(h + "." + p[:10] + "*" + p[10:] + "." + s), 400, "malformed_token")
case("standard_base64_plus", JSON, envelope(h + "." + p + ".+" + s[1:]), 400, "malformed_token")
case("standard_base64_slash", JSON, envelope(h + "." + p[:8] + "/" + p[9:] + "." + s), 400, "malformed_token")
case("padding_on_header", JSON, envelope(b64('{"alg":"HS256","typ":"JWT"} ') + "==." + p + "." + s), 400,
     "malformed_token")
case("whitespace_inside_token", JSON, envelope(h + ". " + p + "." + s), 400, "malformed_token")
case("header_not_json", JSON, envelope(sign("HS256", CLAIMS)), 400, "malformed_token")
case("header_duplicate_alg", JSON, envelope(sign('{"alg":"HS256","alg":"none"}', CLAIMS)), 400, "malformed_token")
case("header_duplicate_alg_escaped", JSON, envelope(sign('{"alg":"HS256","\\u0061lg":"none"}', CLAIMS)), 400,
     "malformed_token")
case("header_100_levels_deep", JSON, envelope(sign('{"alg":"HS256","x":' + "[" * 100 + "]" * 100 + "}", CLAIMS)),
     400, "malformed_token")

# Claims.
case("expired", JSON, envelope(sign(HS256, json.dumps({"exp": NOW - 3600}))), 401, "token_expired")
case("not_yet_valid", JSON, envelope(sign(HS256, json.dumps({"nbf": NOW + 3600}))), 401, "token_not_yet_valid")
case("exp_not_a_number", JSON, envelope(sign(HS256, json.dumps({"exp": str(NOW + 3600)}))), 401, "invalid_claims")

# Envelopes.
case("two_form_bodies", FORM, "body=" + good + "&body=" + REFERENCE, 400, "ambiguous_envelope")
case("form_without_body", FORM, "token=" + good, 400, "ambiguous_envelope")
case("form_bad_percent_escape", FORM, "body=" + good + "%G1", 400, "unreadable_body")
case("json_duplicate_body_key", JSON, '{"body":"%s","body":"%s"}' % (good, REFERENCE), 400, "ambiguous_envelope")
case("json_duplicate_nested_key", JSON, '{"body":"%s","x":{"a":1,"a":2}}' % good, 400, "ambiguous_envelope")
case("json_body_number", JSON, '{"body":12345}', 400, "ambiguous_envelope")
case("json_body_array", JSON, '{"body":["%s"]}' % good, 400, "ambiguous_envelope")
case("json_body_null", JSON, '{"body":null}', 400, "ambiguous_envelope")
case("json_body_object", JSON, '{"body":{"body":"%s"}}' % good, 400, "ambiguous_envelope")
case("json_missing_body", JSON, '{"token":"%s"}' % good, 400, "ambiguous_envelope")
case("json_top_level_array", JSON, '["%s"]' % good, 400, "ambiguous_envelope")
case("json_trailing_comma", JSON, '{"body":"%s",}' % good, 400, "unreadable_body")
case("json_nan", JSON, '{"body":"%s","n":NaN}' % good, 400, "unreadable_body")
case("json_10000_levels_deep", JSON, "[" * 10000 + "]" * 10000, 400, "unreadable_body")
case("non_utf8_body", TEXT, good.encode() + b"\xc3\x28", 400, "unreadable_body")
case("non_utf8_json_body", JSON, b'{"body":"\xff"}', 400, "unreadable_body")
case("empty_body", JSON, "", 400, "unreadable_body")
case("whitespace_only_body", None, " \r\n ", 400, "unreadable_body")
case("multipart_form_data", "multipart/form-data; boundary=XyZ",
     "--XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n" + good + "\r\n--XyZ--\r\n", 415,
     "unsupported_media_type")
case("image_png", "image/png", b"\x89PNG\r\n\x1a\n" + good.encode(), 415, "unsupported_media_type")
case("application_xml", "application/xml", "<body>" + good + "</body>", 415, "unsupported_media_type")
case("text_html", "text/html", good, 415, "unsupported_media_type")

names = [c["name"] for c in cases]
for c in cases:
    size = len(c["body"].encode()) if "body" in c else len(base64.b64decode(c["body_base64"]))
    assert size < 64 * 1024, c["name"] + " is larger than the receiver's default MaxBodySize"
assert len(names) == len(set(names)), "duplicate case names"
json.dump({
    "format": 1,
    "signing_key": KEY,
    "webhook": "example",
    "now": NOW,
    "leeway": 60,
    "public_url": None,
    "cases": cases,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
