"""Emulator of the Google Ads API over gRPC (TLS), built on the installed google-ads library's
own message types and descriptors, with the OAuth token endpoint its credentials refresh at."""
