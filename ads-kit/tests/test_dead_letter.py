import json

from ads_kit.dead_letter import DeadLetterFile
from ads_kit.guard import Operation
from ads_kit.redaction import install_log_redaction


def test_dead_letters_hold_no_registered_secret_in_any_field(tmp_path):
    app_id, secret = "app-" + "31415926", "secret-" + "27182818"
    install_log_redaction([app_id, secret])
    path = tmp_path / "dead.jsonl"
    operation = Operation(
        stream="advertisers",
        account_id=None,
        name="GET /open_api/v1.3/oauth2/advertiser/get/",
        request={
            "url": f"http://127.0.0.1:9/open_api/v1.3/oauth2/advertiser/get/?app_id={app_id}",
            "params": {"app": app_id, "note": f"signed with {secret}"},
        },
    )
    DeadLetterFile(path).write(operation, ConnectionError(f"refused: {secret}"), tries=3)

    text = path.read_text()
    assert app_id not in text and secret not in text
    (entry,) = [json.loads(line) for line in text.splitlines()]
    assert entry["request"]["params"] == {"app": "***", "note": "signed with ***"}
    assert entry["message"] == "refused: ***" and entry["tries"] == 3
