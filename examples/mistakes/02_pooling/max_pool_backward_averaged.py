"""The max-pooling gradient computed as the average-pooling one."""
BREAKS = ("max_pool_backward",)
DIAGNOSIS = "averaged"


def max_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for i in range(OH):
        for j in range(OW):
            share = dout[:, :, i, j] / (PH * PW)
            dx[:, :, i * stride:i * stride + PH, j * stride:j * stride + PW] += share[:, :, None, None]
    return dx
