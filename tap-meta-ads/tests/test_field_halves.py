"""Joining the rows of a job split into field halves (no network)."""

from __future__ import annotations

from tap_meta_ads.field_halves import FieldHalves, halves


def key(row: dict) -> tuple:
    return (row["ad_id"], row["date_start"])


def test_halves_keep_the_key_fields_and_share_out_the_rest():
    fields = ["account_id", "ad_id", "spend", "clicks", "impressions", "actions", "reach"]
    first, second = halves(fields, ["account_id", "ad_id"])
    assert first == ("account_id", "ad_id", "spend", "clicks")
    assert second == ("account_id", "ad_id", "impressions", "actions", "reach")
    assert halves(["account_id", "ad_id", "spend"], ["account_id", "ad_id"]) == []


def test_halves_of_halves_join_into_the_unsplit_rows_whatever_order_they_finish_in():
    whole = [
        {"ad_id": "1", "date_start": "d", "a": 1, "b": 2, "c": 3},
        {"ad_id": "2", "date_start": "d", "a": 4, "b": 5, "c": 6},
    ]

    def only(*names: str) -> list[dict]:
        return [
            {k: v for k, v in row.items() if k in (*names, "ad_id", "date_start")} for row in whole
        ]

    joiner = FieldHalves(key)
    assert joiner.add("job:x", "1", only("c")) is None
    assert joiner.add("job:x", "01", only("b")) is None
    rows, lone = joiner.add("job:x", "00", only("a"))
    assert sorted(rows, key=key) == whole and lone == 0


def test_a_row_in_one_half_only_is_kept_with_the_other_fields_null_and_counted():
    joiner = FieldHalves(key)
    joiner.add("job:y", "0", [{"ad_id": "1", "date_start": "d", "a": 1}])
    rows, lone = joiner.add(
        "job:y",
        "1",
        [{"ad_id": "1", "date_start": "d", "b": 2}, {"ad_id": "3", "date_start": "d", "b": 7}],
    )
    assert rows == [
        {"ad_id": "1", "date_start": "d", "a": 1, "b": 2},
        {"ad_id": "3", "date_start": "d", "b": 7},
    ]
    assert lone == 1
