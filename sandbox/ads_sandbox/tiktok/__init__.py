"""Emulator of the TikTok Marketing API v1.3."""
