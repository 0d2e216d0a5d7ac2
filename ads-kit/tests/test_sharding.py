import pytest
from ads_kit.sharding import in_shard, shard_errors, shard_of


def shards(ids, count):
    return [in_shard(ids, {"shard_count": count, "shard_index": i}) for i in range(count)]


def test_every_account_is_in_exactly_one_shard_and_stays_there_as_accounts_are_added():
    ids = [f"act_{n}" for n in range(200)]
    before = shards(ids, 4)
    assert sorted(a for shard in before for a in shard) == sorted(ids)
    assert all(20 <= len(shard) <= 80 for shard in before)  # roughly even
    after = shards([*ids, *(f"act_{n}" for n in range(200, 260))], 4)
    for old, new in zip(before, after, strict=True):
        assert set(old) <= set(new)


def test_one_shard_reads_everything_once_in_order():
    assert in_shard(["b", "a", "b"], {}) == ["b", "a"]
    assert shard_of("act_1", 1) == 0


@pytest.mark.parametrize(("count", "index", "ok"), [(4, 3, True), (4, 4, False), (1, 0, True)])
def test_the_index_must_be_below_the_count(count, index, ok):
    assert (shard_errors({"shard_count": count, "shard_index": index}) == []) is ok


def test_activate_version_messages_would_delete_other_shards_rows():
    config = {"shard_count": 2, "shard_index": 0, "emit_activate_version_messages": True}
    (error,) = shard_errors(config)
    assert "emit_activate_version_messages" in error and "other shards" in error
    assert shard_errors({**config, "shard_count": 1}) == []
