import pytest

from mancrel.catalog.signatures import (
    SignatureError,
    body_hmac_base64,
    standard_signature,
    verify_body_hmac,
    verify_standard,
)

# The Standard Webhooks reference vector (PROTOCOLS.md).
REF_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
REF_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
REF_TS = 1614265330
REF_BODY = b'{"test": 2432232314}'
REF_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def ref_headers(signature: str = REF_SIGNATURE, timestamp: int = REF_TS) -> dict[str, str]:
    return {"webhook-id": REF_ID, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def test_reference_vector_verifies_at_its_own_timestamp() -> None:
    assert standard_signature(REF_SECRET, REF_ID, REF_TS, REF_BODY) == REF_SIGNATURE
    verify_standard([REF_SECRET], ref_headers(), REF_BODY, now=REF_TS)


def test_reference_vector_is_refused_when_stale_or_from_the_future() -> None:
    for now in (REF_TS + 301, REF_TS - 301):
        with pytest.raises(SignatureError, match="tolerance"):
            verify_standard([REF_SECRET], ref_headers(), REF_BODY, now=now)
    verify_standard([REF_SECRET], ref_headers(), REF_BODY, now=REF_TS + 299)


def test_any_valid_v1_entry_passes_and_unknown_versions_are_ignored() -> None:
    header = f"v2,abc v1,bm90LWEtc2lnbmF0dXJl {REF_SIGNATURE}"
    verify_standard([REF_SECRET], ref_headers(header), REF_BODY, now=REF_TS)
    with pytest.raises(SignatureError):
        verify_standard([REF_SECRET], ref_headers("v2," + REF_SIGNATURE[3:]), REF_BODY, now=REF_TS)


def test_a_changed_body_or_wrong_secret_fails() -> None:
    with pytest.raises(SignatureError):
        verify_standard([REF_SECRET], ref_headers(), b'{"test": 2432232315}', now=REF_TS)
    with pytest.raises(SignatureError):
        verify_standard(["whsec_" + "A" * 32], ref_headers(), REF_BODY, now=REF_TS)


def test_secret_without_base64_padding_is_accepted() -> None:
    unpadded = "whsec_c2VjcmV0LWtleS1ieXRlcy0x"  # base64 of 22 bytes, padding dropped
    signature = standard_signature(unpadded + "==", "msg_1", REF_TS, b"{}")
    verify_standard([unpadded], {"webhook-id": "msg_1", "webhook-timestamp": str(REF_TS),
                                 "webhook-signature": signature}, b"{}", now=REF_TS)


def test_either_secret_passes_during_rotation() -> None:
    old, new = "whsec_" + "b2xkLXNlY3JldC1rZXktYnl0ZXM=", REF_SECRET
    verify_standard([new, old], ref_headers(), REF_BODY, now=REF_TS)
    old_signed = standard_signature(old, REF_ID, REF_TS, REF_BODY)
    verify_standard([new, old], ref_headers(old_signed), REF_BODY, now=REF_TS)
    with pytest.raises(SignatureError):
        verify_standard([new], ref_headers(old_signed), REF_BODY, now=REF_TS)


def test_missing_headers_fail() -> None:
    with pytest.raises(SignatureError):
        verify_standard([REF_SECRET], {"webhook-id": REF_ID}, REF_BODY, now=REF_TS)


def test_body_hmac_matches_shopify_and_woocommerce_scheme() -> None:
    # base64(HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog")), a well-known vector
    body = b"The quick brown fox jumps over the lazy dog"
    assert body_hmac_base64("key", body) == "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
    verify_body_hmac(["other", "key"], "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=", body)
    with pytest.raises(SignatureError):
        verify_body_hmac(["key"], "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNh=", body)
    with pytest.raises(SignatureError):
        verify_body_hmac(["key"], None, body)
