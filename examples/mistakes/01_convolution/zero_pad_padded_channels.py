"""Each image is padded with np.pad(img, P), which pads every axis of the (C, H, W) image:
the channel axis gets zero channels too."""
BREAKS = ("zero_pad",)
DIAGNOSIS = "padded_channels"


def zero_pad(x, P):
    padded = []
    for n in range(x.shape[0]):
        padded.append(np.pad(x[n], P))
    return np.stack(padded)
