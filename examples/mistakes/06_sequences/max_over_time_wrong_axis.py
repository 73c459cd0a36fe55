import numpy as np

BREAKS = ("max_over_time",)
DIAGNOSIS = "wrong_axis"


def max_over_time(maps):
    return maps.max(axis=1)                                  # over the filters
