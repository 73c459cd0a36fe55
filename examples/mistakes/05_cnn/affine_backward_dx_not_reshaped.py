"""dx returned flat, (N, D). max_pool_backward then fails inside cnn_loss, so this student
reshaped there instead: the network is right, the layer is not."""
BREAKS = ("affine_backward",)
DIAGNOSIS = "dx_not_reshaped"


def affine_backward(dout, x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return dout @ w.T, x_flat.T @ dout, dout.sum(axis=0)


def cnn_loss(x, y, params):
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
    dact = max_pool_backward(dpooled.reshape(pooled.shape), act, 2, 2, 2)
    _, grads["W1"], grads["b1"] = conv_backward(relu_backward(dact, conv), x, params["W1"],
                                                params["b1"], 1, 1)
    return loss, grads
