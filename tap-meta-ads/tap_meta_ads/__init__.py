"""Singer tap for the Meta Marketing API through the official facebook-business SDK.

Not built yet.
"""
