"""Column layout of the per ad-day integer vectors every platform reports from."""

IMP = 0  # impressions
CLK = 1  # clicks
SPEND = 2  # spend, minor currency units
CONV = 3  # conversions visible at the current revision
VALUE = 4  # conversion value visible at the current revision, minor units
CONV_FINAL = 5  # conversions once attribution has settled
VIDEO = 6  # video plays
LIKES = 7
COMMENTS = 8
SHARES = 9
FOLLOWS = 10
N_COLUMNS = 11
