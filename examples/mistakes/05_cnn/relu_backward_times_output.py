"""dout times ReLU's output instead of its derivative; the network that uses it is wrong too."""
BREAKS = ("relu_backward",)
ALSO_BREAKS = ("cnn_loss", "train")
DIAGNOSIS = "times_output"


def relu_backward(dout, x):
    return dout * np.maximum(x, 0)
