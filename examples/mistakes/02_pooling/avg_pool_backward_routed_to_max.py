"""The average-pooling gradient routed like max pooling's: all of dout to the maximum."""
BREAKS = ("avg_pool_backward",)
DIAGNOSIS = "routed_to_max"


def avg_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    h0, w0 = i * stride, j * stride
                    window = x[n, c, h0:h0 + PH, w0:w0 + PW]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, h0 + a, w0 + b] += dout[n, c, i, j]
    return dx
