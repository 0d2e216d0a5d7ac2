"""Emulator of Meta's Graph / Marketing API."""
