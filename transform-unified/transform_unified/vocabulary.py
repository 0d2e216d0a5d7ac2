"""The unified status and objective vocabularies every platform adapter maps into."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The delivery state the advertiser set, not whether the object is spending right now.

    UNKNOWN means the mapper has no campaign entity to read it from (or an unmapped value).
    """

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    DELETED = "DELETED"
    ARCHIVED = "ARCHIVED"
    UNKNOWN = "UNKNOWN"


class Objective(StrEnum):
    """The advertiser's campaign goal, on Meta's outcome-based names plus VIDEO_VIEWS.

    OTHER: the platform named an objective the adapter does not map. UNKNOWN: no
    objective was available at all.
    """

    AWARENESS = "AWARENESS"
    TRAFFIC = "TRAFFIC"
    ENGAGEMENT = "ENGAGEMENT"
    LEADS = "LEADS"
    APP_PROMOTION = "APP_PROMOTION"
    SALES = "SALES"
    VIDEO_VIEWS = "VIDEO_VIEWS"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"
