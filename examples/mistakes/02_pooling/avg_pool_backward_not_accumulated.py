"""Each window's share is assigned (=), not added (+=): overlapping windows overwrite."""
BREAKS = ("avg_pool_backward",)
DIAGNOSIS = "not_accumulated"


def avg_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    h0, w0 = i * stride, j * stride
                    dx[n, c, h0:h0 + PH, w0:w0 + PW] = dout[n, c, i, j] / (PH * PW)
    return dx
