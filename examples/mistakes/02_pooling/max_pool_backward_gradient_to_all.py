"""dout is sent to every element of the window, not only to the maximum."""
BREAKS = ("max_pool_backward",)
DIAGNOSIS = "gradient_to_all"


def max_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for i in range(OH):
        for j in range(OW):
            dx[:, :, i * stride:i * stride + PH, j * stride:j * stride + PW] += \
                dout[:, :, i, j][:, :, None, None]
    return dx
