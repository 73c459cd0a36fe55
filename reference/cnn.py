"""Reference solutions for 05_cnn (hidden: never released to students).

The network and the training loop are built from the layers above them, as the students' are,
so a sample mistake in a layer also breaks what uses it (examples/mistakes: ALSO_BREAKS).
"""
import numpy as np

# Given (the instructor's, not graded): the convolution and max-pooling layers of assignments 01
# and 02, vectorised so that training takes seconds. The notebook shows them as a locked cell.
GIVEN = ("conv_forward", "conv_backward", "max_pool_forward", "max_pool_backward")


def _windows(x, FH, FW, stride):
    """Every (FH, FW) window of x (N, C, H, W) as a view (N, C, OH, OW, FH, FW)."""
    view = np.lib.stride_tricks.sliding_window_view(x, (FH, FW), axis=(2, 3))
    return view[:, :, ::stride, ::stride]


def _columns(x, FH, FW, stride, pad):
    """im2col: every window of the padded x as a row, (N*OH*OW, C*FH*FW), and (OH, OW)."""
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = _windows(xp, FH, FW, stride)                      # (N, C, OH, OW, FH, FW)
    N, C, OH, OW = win.shape[:4]
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(N * OH * OW, C * FH * FW), OH, OW


def conv_forward(x, w, b, stride, pad):
    """Convolution (cross-correlation) of x (N, C, H, W) with w (F, C, FH, FW), plus b (F,)."""
    F_, _, FH, FW = w.shape
    cols, OH, OW = _columns(x, FH, FW, stride, pad)
    out = cols @ w.reshape(F_, -1).T + b
    return out.reshape(x.shape[0], OH, OW, F_).transpose(0, 3, 1, 2)


def conv_backward(dout, x, w, b, stride, pad):
    """(dx, dw, db) of conv_forward, for the upstream gradient dout (N, F, OH, OW)."""
    N, C, H, W = x.shape
    F_, _, FH, FW = w.shape
    cols, OH, OW = _columns(x, FH, FW, stride, pad)
    d = dout.transpose(0, 2, 3, 1).reshape(-1, F_)          # (N*OH*OW, F)
    dw = (d.T @ cols).reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    dcols = (d @ w.reshape(F_, -1)).reshape(N, OH, OW, C, FH, FW)
    dxp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=dcols.dtype)
    for p in range(FH):
        for q in range(FW):
            dxp[:, :, p:p + stride * OH:stride, q:q + stride * OW:stride] += \
                dcols[:, :, :, :, p, q].transpose(0, 3, 1, 2)
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, db


def max_pool_forward(x, PH, PW, stride):
    """Each (PH, PW) window's maximum: (N, C, H, W) -> (N, C, OH, OW)."""
    return _windows(x, PH, PW, stride).max(axis=(4, 5))


def max_pool_backward(dout, x, PH, PW, stride):
    """dout goes to each window's maximum (the first one, where several are equal)."""
    win = _windows(x, PH, PW, stride)
    N, C, OH, OW = win.shape[:4]
    first = win.reshape(N, C, OH, OW, PH * PW).argmax(axis=4)
    rows = np.arange(OH)[:, None] * stride + first // PW
    cols = np.arange(OW)[None, :] * stride + first % PW
    dx = np.zeros_like(x)
    n, c = np.arange(N)[:, None, None, None], np.arange(C)[None, :, None, None]
    if stride >= PH and stride >= PW:             # windows apart: each pixel in one at most
        dx[n, c, rows, cols] = dout
    else:
        np.add.at(dx, (n, c, rows, cols), dout)
    return dx


# ---------------------------------------------------------------- the layers (graded)
def relu_forward(x):
    """max(0, x) elementwise, for x of any shape."""
    out = np.maximum(x, 0)
    return out


def relu_backward(dout, x):
    """The gradient through ReLU: dout where x > 0, 0 elsewhere (0 at x = 0 too)."""
    dx = dout * (x > 0)
    return dx


def affine_forward(x, w, b):
    """x (N, D) or (N, C, H, W), flattened to (N, D); w (D, M); b (M,) -> out (N, M)."""
    out = x.reshape(x.shape[0], -1) @ w + b
    return out


def affine_backward(dout, x, w, b):
    """dout (N, M) -> (dx with the shape of x, dw (D, M), db (M,))."""
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def softmax_cross_entropy(scores, y):
    """scores (N, K), integer labels y (N,) -> (loss: the mean over the batch, dscores (N, K));
    numerically stable for large scores."""
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    dscores /= N
    return loss, dscores


def conv_param_count(C, F, FH, FW):
    """Weights and biases of F filters of size FH x FW over C input channels."""
    return F * (C * FH * FW + 1)


def fc_param_count(D, M):
    """Weights and biases of a fully connected layer from D inputs to M outputs."""
    return D * M + M


# ---------------------------------------------------------------- the network
def cnn_forward(x, params):
    """conv 3x3 pad 1 -> ReLU -> 2x2 max pool -> affine -> ReLU -> affine: scores (N, K)."""
    conv = conv_forward(x, params["W1"], params["b1"], 1, 1)
    pooled = max_pool_forward(relu_forward(conv), 2, 2, 2)
    hidden = relu_forward(affine_forward(pooled, params["W2"], params["b2"]))
    scores = affine_forward(hidden, params["W3"], params["b3"])
    return scores


def cnn_loss(x, y, params):
    """(loss, grads): the softmax cross-entropy of cnn_forward's scores and a dict of the
    gradients of every parameter (keys W1 b1 W2 b2 W3 b3), from your own layers."""
    conv = conv_forward(x, params["W1"], params["b1"], 1, 1)
    act = relu_forward(conv)
    pooled = max_pool_forward(act, 2, 2, 2)
    pre = affine_forward(pooled, params["W2"], params["b2"])
    hidden = relu_forward(pre)
    scores = affine_forward(hidden, params["W3"], params["b3"])
    loss, dscores = softmax_cross_entropy(scores, y)
    grads = {}
    dhidden, grads["W3"], grads["b3"] = affine_backward(dscores, hidden, params["W3"], params["b3"])
    dpooled, grads["W2"], grads["b2"] = affine_backward(relu_backward(dhidden, pre), pooled,
                                                         params["W2"], params["b2"])
    dact = max_pool_backward(dpooled, act, 2, 2, 2)
    _, grads["W1"], grads["b1"] = conv_backward(relu_backward(dact, conv), x, params["W1"],
                                                params["b1"], 1, 1)
    return loss, grads


def sgd_step(params, grads, lr):
    """A new dict: p - lr * g for every parameter (params itself is not changed)."""
    new_params = {k: params[k] - lr * grads[k] for k in params}
    return new_params


def train(x_train, y_train, params, epochs, lr, batch_size, seed):
    """Minibatch SGD with cnn_loss -> (params, loss_history); the shuffling as in the lesson."""
    rng = np.random.default_rng(seed)
    N = x_train.shape[0]
    loss_history = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss, grads = cnn_loss(x_train[batch], y_train[batch], params)
            loss_history.append(loss)
            params = sgd_step(params, grads, lr)
    return params, np.array(loss_history)
