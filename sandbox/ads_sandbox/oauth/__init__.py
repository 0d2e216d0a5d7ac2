"""The platforms' sign-in as they really behave: consent pages (headless for tests), single-use
authorization codes, PKCE where the platform has it, tokens that expire and refresh tokens
that can be expired or revoked. The platforms' API emulators check tokens against it."""
