"""Singer tap for the TikTok Marketing API v1.3."""
