import logging

import pytest
from ads_kit.errors import AuthenticationError
from ads_kit.redaction import Redactor, install_log_redaction


@pytest.mark.parametrize(
    "text",
    [
        "GET /x?access_token=tok123456&page=2",
        '{"secret": "tok123456", "page": 2}',
        "{'app_secret': 'tok123456'}",
        "Access-Token: tok123456",
        "Authorization: Bearer tok123456",
        "refresh_token=tok123456",
    ],
)
def test_secret_fields_are_masked(text):
    assert "tok123456" not in Redactor().redact(text)


def test_registered_values_are_masked_anywhere():
    redactor = Redactor()
    redactor.add_secrets(["s3cr3t-value", None, "ab"])
    assert redactor.redact("token s3cr3t-value in prose") == "token *** in prose"
    assert (
        redactor.redact("ab stays: too short to be a secret")
        == "ab stays: too short to be a secret"
    )


def test_log_records_and_tracebacks_are_redacted(caplog):
    install_log_redaction(["live-token-987"])
    logger = logging.getLogger("ads-kit-test")
    with caplog.at_level(logging.INFO):
        logger.info("calling with %s", "live-token-987")
        try:
            raise ValueError("boom live-token-987")
        except ValueError:
            logger.exception("failed")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "live-token-987" not in text
    assert "calling with ***" in caplog.text


def test_errors_redact_their_message():
    install_log_redaction(["live-token-555"])
    assert "live-token-555" not in str(AuthenticationError("bad token live-token-555"))
