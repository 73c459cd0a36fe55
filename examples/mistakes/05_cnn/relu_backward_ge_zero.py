"""The gradient passes where x >= 0: wrong exactly at x = 0, where ReLU's derivative is 0. The
network's pre-activations are never exactly 0, so cnn_loss and train are still right."""
BREAKS = ("relu_backward",)
DIAGNOSIS = "ge_zero"


def relu_backward(dout, x):
    return dout * (x >= 0)
