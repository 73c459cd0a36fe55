"""c reset each step."""
LOSES = 'lstm_forward'
SAYS = ('cell', 'carried')
# ---- the student's cell
def lstm_forward(x, h0, W, b):
    h, hs = h0, []
    for t in range(x.shape[1]):
        h, _ = lstm_step_forward(x[:, t], h, np.zeros_like(h0), W, b)
        hs.append(h)
    return np.stack(hs, axis=1)
