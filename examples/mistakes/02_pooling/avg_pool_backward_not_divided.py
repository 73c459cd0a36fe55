"""dout is copied to every element of the window without dividing by PH*PW."""
BREAKS = ("avg_pool_backward",)
DIAGNOSIS = "not_divided"


def avg_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    dx[n, c, i * stride:i * stride + PH, j * stride:j * stride + PW] += dout[n, c, i, j]
    return dx
