"""The generator made inside the epoch loop: every epoch sees the images in the same order."""
BREAKS = ("train",)
DIAGNOSIS = "reseeded_every_epoch"


def train(x_train, y_train, params, epochs, lr, batch_size, seed):
    N = x_train.shape[0]
    loss_history = []
    for epoch in range(epochs):
        order = np.random.default_rng(seed).permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss, grads = cnn_loss(x_train[batch], y_train[batch], params)
            loss_history.append(loss)
            params = sgd_step(params, grads, lr)
    return params, np.array(loss_history)
