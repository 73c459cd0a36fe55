"""The images flattened channels-last, (N, H, W, C); the network that uses it is wrong too."""
BREAKS = ("affine_forward",)
ALSO_BREAKS = ("cnn_forward", "cnn_loss", "train")
DIAGNOSIS = "channels_last_flatten"


def affine_forward(x, w, b):
    if x.ndim == 4:
        x = x.transpose(0, 2, 3, 1)
    return x.reshape(x.shape[0], -1) @ w + b
