"""`ads-login PLATFORM`: sign in, pick the ad accounts, keep the tokens in the token store and
write `token_store` and the accounts where the tap reads its settings.

The platforms' flows live in their taps and register themselves under the entry-point group
`ads_kit.login` (a click command each, built with `login_options` and `run_login`)."""

from __future__ import annotations

import dataclasses
import os
import sys
import typing as t
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import urlsplit

import click
import requests

from ads_kit.login import authorize as authorization
from ads_kit.login.accounts_choice import Account, pick
from ads_kit.login.authorize import DEFAULT_WAIT_SECONDS, LoginError
from ads_kit.login.project import write_config_file, write_meltano
from ads_kit.login.store import (
    BACKENDS,
    FernetFileTokens,
    StoreLocation,
    TokenStoreError,
    open_store,
    secret_values,
)
from ads_kit.redaction import install_log_redaction, redact

ENTRY_POINT_GROUP = "ads_kit.login"


@dataclasses.dataclass
class Authorizer:
    """The user's part of the sign-in with the options given: call it with
    `url_for(redirect_uri, state)` for (redirect parameters, redirect URI). Flows that run
    a library's own loopback (Google's) read the options instead."""

    no_browser: bool = False
    port: int = 0
    wait: float = DEFAULT_WAIT_SECONDS
    say: Callable[[str], None] = print
    ask: Callable[[str], str] = input

    def __call__(self, url_for: Callable[[str, str], str]) -> tuple[dict[str, str], str]:
        return authorization.authorize(
            url_for,
            no_browser=self.no_browser,
            port=self.port,
            wait_seconds=self.wait,
            say=self.say,
            ask=self.ask,
        )


class PlatformLogin(t.Protocol):
    platform: str
    extractor: str
    #: The tap setting listing the picked accounts.
    accounts_setting: str
    #: The tap settings the stored entry replaces (removed from the config).
    credential_settings: tuple[str, ...]

    def secrets(self) -> list[str]:
        """Values never to print (the app's secret)."""

    def sign_in(self, authorize: Authorizer) -> dict[str, t.Any]:
        """The entry to store, once the platform granted every scope the tap needs."""

    def accounts(self, entry: dict[str, t.Any]) -> list[Account]:
        """The ad accounts the stored tokens reach."""


@dataclasses.dataclass
class LoginOptions:
    no_browser: bool
    port: int
    wait: float
    name: str | None
    backend: str
    store_path: Path | None
    key_file: Path | None
    key_env: str | None
    all_accounts: bool
    accounts: str | None
    meltano_project: Path | None
    environment: str | None
    config_file: Path | None


def login_options(command: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
    """The options every platform's `ads-login` command takes."""
    options = [
        click.option(
            "--no-browser",
            is_flag=True,
            help="Print the URL and read the redirected "
            "address pasted back (for machines without a browser).",
        ),
        click.option("--port", type=int, default=0, help="Loopback port (default: a free one)."),
        click.option(
            "--wait",
            type=float,
            default=DEFAULT_WAIT_SECONDS,
            show_default=True,
            help="Seconds to wait for the browser's redirect.",
        ),
        click.option("--name", help="Name of the token store entry (default: the platform)."),
        click.option(
            "--backend",
            type=click.Choice(BACKENDS),
            default="auto",
            show_default=True,
            help="auto: the OS keyring when a real one is present, else the file.",
        ),
        click.option(
            "--store-path",
            type=click.Path(path_type=Path),
            help="The encrypted token file (default ~/.local/share/ads-taps/).",
        ),
        click.option(
            "--key-file",
            type=click.Path(path_type=Path),
            help="Its key, in another folder (default ~/.config/ads-taps/tokens.key).",
        ),
        click.option("--key-env", help="Or an environment variable holding the key."),
        click.option(
            "--all",
            "all_accounts",
            is_flag=True,
            help="Read every account the sign-in reaches (now and later).",
        ),
        click.option("--accounts", help="Comma-separated account ids (or table numbers)."),
        click.option(
            "--meltano-project",
            type=click.Path(path_type=Path, file_okay=False),
            help="Write the settings into this Meltano project (default: here, "
            "when meltano.yml is here).",
        ),
        click.option("--environment", help="The Meltano environment to write them to."),
        click.option(
            "--config-file",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Write them into this JSON config file instead.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def secret_env_option(flag: str, default_env: str, what: str) -> t.Callable[..., t.Any]:
    """`--X-env NAME`: the environment variable a secret is read from (never an argument,
    which other users of the machine could see); asked for, hidden, when it is unset."""
    return click.option(
        flag,
        default=default_env,
        show_default=True,
        help=f"Environment variable holding {what} (asked for when unset).",
    )


def read_secret(env_name: str, what: str) -> str:
    return os.environ.get(env_name) or click.prompt(what, hide_input=True, err=True)


def _say(text: str) -> None:
    click.echo(text, err=True)


def _ask(prompt: str) -> str:
    click.echo(prompt, err=True, nl=False)
    line = sys.stdin.readline()
    if not line:
        raise LoginError("Nothing was entered (standard input closed).")
    return line


def _location(options: LoginOptions, platform: str) -> tuple[StoreLocation, t.Any]:
    """The store, with the file's paths spelled out so the tap finds it from anywhere."""
    location = StoreLocation(
        options.name or platform,
        options.backend,
        options.store_path.resolve() if options.store_path else None,
        options.key_file.resolve() if options.key_file else None,
        options.key_env,
    )
    store = open_store(location)
    if isinstance(store, FernetFileTokens):
        location = dataclasses.replace(
            location, backend="file", path=store.path, key_file=store.key_file
        )
    else:
        location = dataclasses.replace(location, backend="keyring")
    return location, store


def _sign_in(login: PlatformLogin, options: LoginOptions) -> None:
    if options.config_file is None and options.meltano_project is None:
        if not Path("meltano.yml").exists():
            raise LoginError(
                "Name where the settings go: --meltano-project DIR or --config-file FILE."
            )
        options.meltano_project = Path.cwd()
    location, store = _location(options, login.platform)

    entry = login.sign_in(Authorizer(options.no_browser, options.port, options.wait, _say, _ask))
    install_log_redaction(secret_values(entry))
    accounts = login.accounts(entry)
    picked = pick(
        accounts,
        every=options.all_accounts,
        given=options.accounts,
        interactive=sys.stdin.isatty(),
        say=_say,
        ask=_ask,
    )
    store.save(location.name, entry)
    settings = {"token_store": location.setting(), login.accounts_setting: picked or []}
    if options.config_file is not None:
        write_config_file(options.config_file, settings, login.credential_settings)
        where = str(options.config_file)
    else:
        assert options.meltano_project is not None
        write_meltano(
            options.meltano_project,
            options.environment,
            login.extractor,
            settings,
            login.credential_settings,
        )
        where = f"the Meltano project {options.meltano_project}" + (
            f" (environment {options.environment})" if options.environment else ""
        )
    chosen = "every account" if picked is None else ", ".join(picked)
    _say(
        f"Signed in to {login.platform}: tokens saved in {store.description} as "
        f"{location.name!r}; {login.extractor} reads {chosen}; settings written to {where}."
    )


def _origin(error: requests.RequestException) -> str:
    parts = urlsplit(getattr(error.request, "url", None) or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "the platform"


def run_login(login: PlatformLogin, options: LoginOptions) -> None:
    """Sign in; any failure ends in one line saying what to fix (exit status 1)."""
    install_log_redaction(login.secrets())
    try:
        _sign_in(login, options)
    except (LoginError, TokenStoreError) as error:
        raise click.ClickException(redact(str(error))) from None
    except requests.RequestException as error:
        raise click.ClickException(
            f"Cannot reach {_origin(error)} ({type(error).__name__}): check the URL options "
            "and the network."
        ) from None


class _Platforms(click.Group):
    """The platforms' commands, from the entry points their taps register."""

    def _commands(self) -> dict[str, t.Any]:
        return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._commands())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        point = self._commands().get(name)
        return point.load() if point is not None else None


@click.group(cls=_Platforms, help=__doc__.split("\n\n")[0])
def main() -> None:
    """ads-login."""
