"""Shared building blocks of the ads taps: nothing platform-specific lives here."""
