"""db averaged over the batch instead of summed; the network's db2 and db3 are wrong too."""
BREAKS = ("affine_backward",)
ALSO_BREAKS = ("cnn_loss", "train")
DIAGNOSIS = "db_averaged"


def affine_backward(dout, x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), x_flat.T @ dout, dout.mean(axis=0)
