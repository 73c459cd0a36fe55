"""The step goes up the gradient; train, which uses it, climbs the loss (and is named for it)."""
BREAKS = ("sgd_step", "train")
DIAGNOSIS = "lr_sign_flipped"


def sgd_step(params, grads, lr):
    return {k: params[k] + lr * grads[k] for k in params}
