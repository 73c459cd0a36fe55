"""Only full batches: the last N % batch_size images of each epoch's order are never used."""
BREAKS = ("train",)
DIAGNOSIS = "last_batch_dropped"


def train(x_train, y_train, params, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = x_train.shape[0]
    loss_history = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N - batch_size + 1, batch_size):
            batch = order[start:start + batch_size]
            loss, grads = cnn_loss(x_train[batch], y_train[batch], params)
            loss_history.append(loss)
            params = sgd_step(params, grads, lr)
    return params, np.array(loss_history)
