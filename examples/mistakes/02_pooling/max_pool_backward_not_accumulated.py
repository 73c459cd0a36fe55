"""Each window's gradient is assigned (=), not added (+=): overlapping windows overwrite."""
BREAKS = ("max_pool_backward",)
DIAGNOSIS = "not_accumulated"


def max_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    h0, w0 = i * stride, j * stride
                    window = x[n, c, h0:h0 + PH, w0:w0 + PW]
                    mask = window == np.max(window)
                    dx[n, c, h0:h0 + PH, w0:w0 + PW] = mask * dout[n, c, i, j]
    return dx
