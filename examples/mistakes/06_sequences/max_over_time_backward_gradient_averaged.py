import numpy as np

BREAKS = ("max_over_time_backward",)
DIAGNOSIS = "gradient_averaged"


def max_over_time_backward(dpooled, maps):
    return np.ones_like(maps) * dpooled[:, :, None] / maps.shape[2]
