"""Who is who in the emulated Google Ads world: a manager account over the world's accounts
(its clients) plus one cancelled client, and what a user of the sandbox credentials reaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ads_sandbox.world import Account, World
from ads_sandbox.world.hashing import Hasher


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    currency: str
    timezone: str
    manager: bool
    status: str  # CustomerStatus name
    account: Account | None  # the world account behind a client with data

    @property
    def resource_name(self) -> str:
        return f"customers/{self.id}"


def _customer_id(hasher: Hasher, kind: str, taken: set[str]) -> str:
    salt = 0
    while True:
        new = str(10**9 + hasher.of("google-customer", kind, salt) % (9 * 10**9))
        if new not in taken:
            return new
        salt += 1


class Directory:
    """The manager, its clients (the world's accounts, then a cancelled one) and access.

    The sandbox user has direct access to the manager and to the first client only: every
    other client is reached through the manager, with its id as `login-customer-id`."""

    def __init__(self, world: World) -> None:
        hasher = Hasher(world.seed, "google_ads")
        taken = {a.id for a in world.accounts}
        manager_id = _customer_id(hasher, "manager", taken)
        taken.add(manager_id)
        cancelled_id = _customer_id(hasher, "cancelled", taken)
        self.manager = Customer(
            manager_id, "Sandbox Agency MCC", "USD", "America/New_York", True, "ENABLED", None
        )
        self.clients = [
            Customer(a.id, a.name, a.currency, a.timezone, False, "ENABLED", a)
            for a in world.accounts
        ]
        self.clients.append(
            Customer(
                cancelled_id, "Sandbox closed shop", "EUR", "Europe/Paris", False, "CANCELED", None
            )
        )
        self._by_id = {c.id: c for c in (self.manager, *self.clients)}
        self.direct = [self.manager, self.clients[0]]
        self.created = datetime.fromtimestamp(min(a.create_time for a in world.accounts), UTC)

    def get(self, customer_id: str) -> Customer | None:
        return self._by_id.get(customer_id)

    def reachable(self, customer: Customer, login_customer_id: str | None) -> bool:
        """Whether a call on customer is allowed with that login-customer-id header."""
        if login_customer_id is None or login_customer_id == customer.id:
            return customer in self.direct
        login = self._by_id.get(login_customer_id)
        if login is None or login not in self.direct:
            return False
        return login.manager and customer in self.clients
