"""The hidden layer's ReLU forgotten in cnn_forward: a mistake no rule knows by name (cnn_loss
keeps its own, right, forward pass)."""
BREAKS = ("cnn_forward",)
DIAGNOSIS = None


def cnn_forward(x, params):
    conv = conv_forward(x, params["W1"], params["b1"], 1, 1)
    pooled = max_pool_forward(relu_forward(conv), 2, 2, 2)
    hidden = affine_forward(pooled, params["W2"], params["b2"])
    return affine_forward(hidden, params["W3"], params["b3"])
