"""Who is who in the emulated Google Ads world: a manager account over the world's accounts
(its clients, the last of them under a sub-manager as agencies nest them) plus one cancelled
client, and what a user of the sandbox credentials reaches."""

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
    other client is reached through a manager above it (the top one or, for the clients of
    the sub-manager, that one too), with its id as `login-customer-id`. With two accounts or
    more the last one sits under the sub-manager, at level 2 of the top manager's tree."""

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
        sub_id = _customer_id(hasher, "sub-manager", taken | {cancelled_id})
        self.sub_manager = Customer(
            sub_id, "Sandbox Agency EMEA", "EUR", "Europe/Berlin", True, "ENABLED", None
        )
        nested = self.clients[-2:-1] if len(world.accounts) > 1 else []
        #: Each manager's direct children; `tree` gives every level below.
        self.children: dict[str, list[Customer]] = {
            self.manager.id: [
                *(c for c in self.clients if c not in nested),
                self.sub_manager,
            ],
            self.sub_manager.id: nested,
        }
        self._by_id = {c.id: c for c in (self.manager, self.sub_manager, *self.clients)}
        self.direct = [self.manager, self.clients[0]]
        self.created = datetime.fromtimestamp(min(a.create_time for a in world.accounts), UTC)

    def get(self, customer_id: str) -> Customer | None:
        return self._by_id.get(customer_id)

    def tree(self, manager: Customer) -> list[tuple[Customer, int]]:
        """Every customer below a manager with its level (1: a direct child), depth first."""
        out: list[tuple[Customer, int]] = []
        for child in self.children.get(manager.id, ()):
            out.append((child, 1))
            out.extend((c, level + 1) for c, level in self.tree(child))
        return out

    def _reached(self) -> set[str]:
        """Every customer the sandbox user can reach, directly or through a manager."""
        seen = {c.id for c in self.direct}
        for top in self.direct:
            seen.update(c.id for c, _ in self.tree(top))
        return seen

    def reachable(self, customer: Customer, login_customer_id: str | None) -> bool:
        """Whether a call on customer is allowed with that login-customer-id header: the
        login customer is one the user reaches, and the customer is it or below it."""
        if login_customer_id is None or login_customer_id == customer.id:
            return customer in self.direct
        login = self._by_id.get(login_customer_id)
        if login is None or login.id not in self._reached():
            return False
        return login.manager and customer in (c for c, _ in self.tree(login))
