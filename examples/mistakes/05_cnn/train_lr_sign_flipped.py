"""sgd_step is right, but the training loop adds the gradient itself."""
BREAKS = ("train",)
DIAGNOSIS = "lr_sign_flipped"


def train(x_train, y_train, params, epochs, lr, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = x_train.shape[0]
    loss_history = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss, grads = cnn_loss(x_train[batch], y_train[batch], params)
            loss_history.append(loss)
            params = {k: params[k] + lr * grads[k] for k in params}
    return params, np.array(loss_history)
