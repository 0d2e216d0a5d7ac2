"""Accounts and campaigns seen in earlier runs, kept on disk and in the Singer state.

Entity streams are incremental: a run only sees campaigns modified since the last one, but
every performance row needs its campaign's status, objective and budget. The file holds
ids, names, statuses, objectives, budgets, currencies and time zones; nothing secret. The
same document rides in the STATE the mapper passes on (`STATE_BOOKMARK`), so a machine
without the file (new, or cleaned) gets the facts back from the state the tap is given.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from transform_unified.adapters.base import AccountFacts, CampaignFacts
from transform_unified.vocabulary import Objective, Status

FORMAT = 1
#: Where the entity document lives in the Singer state: a bookmark entry the SDK's taps
#: keep and emit back unchanged (they keep every `bookmarks` entry, not only their streams').
STATE_BOOKMARK = "transform_unified"

AccountKey = tuple[str, str]  # platform, account id
CampaignKey = tuple[str, str, str]  # platform, account id, campaign id


class EntityCacheError(ValueError):
    """The cache file exists but cannot be read."""


class EntityCache:
    """In-memory view of the cache file plus what this run changed.

    `save` merges this run's changes into the file as it is on disk at that moment, under
    a lock, so mappers of parallel shards sharing one path do not drop each other's entries.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._accounts: dict[AccountKey, AccountFacts] = {}
        self._campaigns: dict[CampaignKey, CampaignFacts] = {}
        self._changed_accounts: dict[AccountKey, AccountFacts] = {}
        self._changed_campaigns: dict[CampaignKey, CampaignFacts] = {}

    @classmethod
    def load(cls, path: Path) -> EntityCache:
        """The cache at `path`; fails before any data is read when `save` could not write
        there (it creates the folders and replaces the file through a temporary one)."""
        if path.is_dir():
            raise EntityCacheError(f"{path} is a directory; give a file path")
        existing = next(folder for folder in path.absolute().parents if folder.exists())
        try:
            tempfile.TemporaryFile(dir=existing).close()
        except OSError as error:
            raise EntityCacheError(f"{path} cannot be written ({error.strerror})") from None
        cache = cls(path)
        cache._accounts, cache._campaigns = _read(path)
        return cache

    @property
    def empty(self) -> bool:
        return not (self._accounts or self._campaigns)

    def document(self) -> dict[str, Any]:
        """Every known entity, in the file's format (for the Singer state)."""
        return _encode(self._accounts, self._campaigns)

    def absorb(self, document: object) -> tuple[int, int]:
        """Add the entities of `document` (from the state) that this cache lacks; returns
        how many accounts and campaigns were added. Entries already known win: they are at
        least as recent as the state the tap was given."""
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise EntityCacheError(
                f"the state's '{STATE_BOOKMARK}' entry is not an entity document"
            )
        try:
            accounts, campaigns = _decode(document)
        except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation) as error:
            raise EntityCacheError(f"the state's '{STATE_BOOKMARK}' entry: {error}") from error
        new_accounts = {k: v for k, v in accounts.items() if k not in self._accounts}
        new_campaigns = {k: v for k, v in campaigns.items() if k not in self._campaigns}
        self._accounts.update(new_accounts)
        self._changed_accounts.update(new_accounts)
        self._campaigns.update(new_campaigns)
        self._changed_campaigns.update(new_campaigns)
        return len(new_accounts), len(new_campaigns)

    @property
    def dirty(self) -> bool:
        return bool(self._changed_accounts or self._changed_campaigns)

    def account(self, platform: str, account_id: str) -> AccountFacts | None:
        return self._accounts.get((platform, account_id))

    def campaign(self, platform: str, account_id: str, campaign_id: str) -> CampaignFacts | None:
        return self._campaigns.get((platform, account_id, campaign_id))

    def put_account(self, platform: str, facts: AccountFacts) -> None:
        key = (platform, facts.account_id)
        if self._accounts.get(key) != facts:
            self._accounts[key] = self._changed_accounts[key] = facts

    def put_campaign(self, platform: str, facts: CampaignFacts) -> None:
        key = (platform, facts.account_id, facts.campaign_id)
        if self._campaigns.get(key) != facts:
            self._campaigns[key] = self._changed_campaigns[key] = facts

    def save(self) -> None:
        """Write this run's changes into the file atomically (temp file + rename)."""
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path):
            accounts, campaigns = _read(self.path)
            accounts.update(self._changed_accounts)
            campaigns.update(self._changed_campaigns)
            _write(self.path, _encode(accounts, campaigns))
        self._accounts.update(accounts)
        self._campaigns.update(campaigns)
        self._changed_accounts.clear()
        self._changed_campaigns.clear()


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path: Path, document: dict[str, Any]) -> None:
    handle = tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False, encoding="utf-8"
    )
    try:
        with handle:
            json.dump(document, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _read(path: Path) -> tuple[dict[AccountKey, AccountFacts], dict[CampaignKey, CampaignFacts]]:
    if not path.exists():
        return {}, {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"format {document.get('format')!r}, expected {FORMAT}")
        return _decode(document)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, InvalidOperation) as e:
        raise EntityCacheError(f"{path} is not a readable entity cache ({e})") from e


def _encode(
    accounts: dict[AccountKey, AccountFacts], campaigns: dict[CampaignKey, CampaignFacts]
) -> dict[str, Any]:
    platforms: dict[str, Any] = {}
    for (platform, account_id), account in accounts.items():
        entry = platforms.setdefault(platform, {"accounts": {}, "campaigns": {}})
        entry["accounts"][account_id] = {
            "name": account.name,
            "currency": account.currency,
            "timezone": account.timezone,
        }
    for (platform, account_id, campaign_id), campaign in campaigns.items():
        entry = platforms.setdefault(platform, {"accounts": {}, "campaigns": {}})
        entry["campaigns"].setdefault(account_id, {})[campaign_id] = {
            "name": campaign.name,
            "status": campaign.status.value,
            "native_status": campaign.native_status,
            "objective": campaign.objective.value,
            "native_objective": campaign.native_objective,
            # A string keeps the budget exact through the standard json module.
            "budget": None if campaign.budget is None else str(campaign.budget),
            "budget_period": campaign.budget_period,
        }
    return {"format": FORMAT, "platforms": platforms}


def _decode(
    document: dict[str, Any],
) -> tuple[dict[AccountKey, AccountFacts], dict[CampaignKey, CampaignFacts]]:
    accounts: dict[AccountKey, AccountFacts] = {}
    campaigns: dict[CampaignKey, CampaignFacts] = {}
    for platform, entry in document["platforms"].items():
        for account_id, account in entry["accounts"].items():
            accounts[(platform, account_id)] = AccountFacts(
                account_id=account_id,
                currency=account["currency"],
                timezone=account["timezone"],
                name=account["name"],
            )
        for account_id, by_id in entry["campaigns"].items():
            for campaign_id, campaign in by_id.items():
                budget = campaign["budget"]
                campaigns[(platform, account_id, campaign_id)] = CampaignFacts(
                    account_id=account_id,
                    campaign_id=campaign_id,
                    name=campaign["name"],
                    status=Status(campaign["status"]),
                    native_status=campaign["native_status"],
                    objective=Objective(campaign["objective"]),
                    native_objective=campaign["native_objective"],
                    budget=None if budget is None else Decimal(budget),
                    budget_period=campaign.get("budget_period"),
                )
    return accounts, campaigns
