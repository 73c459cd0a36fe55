import numpy as np

BREAKS = ("max_over_time_backward",)
DIAGNOSIS = "gradient_to_all"


def max_over_time_backward(dpooled, maps):
    return np.repeat(dpooled[:, :, None], maps.shape[2], axis=2)
