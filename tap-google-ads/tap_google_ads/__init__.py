"""Singer tap for the Google Ads API through the official google-ads client (gRPC, GAQL).

Not built yet.
"""
