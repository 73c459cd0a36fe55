"""dx[argmax] = dout (not +=): where overlapping windows share a maximum, the last one wins."""
LOSES = 'max_pool_backward'
SAYS = ('overwrites', 'instead of added', 'not accumulated', '(+=)')
# ---- the student's cell
def max_pool_backward(dout, x, PH, PW, stride):
    N, C, OH, OW = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    window = x[n, c, i * stride:i * stride + PH, j * stride:j * stride + PW]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + a, j * stride + b] = dout[n, c, i, j]
    return dx
