import json
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


def test_longer_secrets_are_masked_before_the_shorter_ones_they_contain():
    redactor = Redactor()
    redactor.add_secrets(["app1", "app1-SECRETTAIL"])
    assert redactor.redact("id app1, secret app1-SECRETTAIL") == "id ***, secret ***"


@pytest.mark.parametrize(
    "printed",
    [
        "Invalid header value: 'tok-98765\\n'",  # a repr, as requests prints it
        '{"access_token": "tok-98765\\n"}',  # JSON-escaped
        "GET /x?token=tok-98765%0A&page=2",  # URL-encoded
        "token tok-98765 (stripped)",
    ],
)
def test_secrets_are_masked_in_their_escaped_forms(printed):
    redactor = Redactor()
    redactor.add_secrets(["tok-98765\n"])
    assert "tok-98765" not in redactor.redact(printed)


def test_structured_logs_carry_the_exception_redacted():
    from singer_sdk.logging import StructuredFormatter

    app, secret = "app-" + "7777", "secret-" + "8888"  # never literal in a traceback line
    install_log_redaction([app, secret])
    logger = logging.getLogger("ads-kit-structured-test")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        try:
            try:
                raise ConnectionError(f"GET /x?app_id={app}&s={secret} refused")
            except ConnectionError as inner:
                raise RuntimeError(f"while calling {app}") from inner
        except RuntimeError:
            logger.exception("failed with %s", secret)
    finally:
        logger.removeHandler(handler)
    (record,) = records
    line = StructuredFormatter().format(record)
    assert app not in line and secret not in line
    exception = json.loads(line)["exception"]
    assert exception["type"] == "RuntimeError" and exception["cause"]["type"] == "ConnectionError"
    assert exception["message"] == "while calling ***"
    assert exception["cause"]["message"] == "GET /x?app_id=***&s=*** refused"
