import numpy as np

# Workload 3 by hand: forward, then backward through mean, tanh, add and matmul.
BATCH = 256  # bench: param
WIDTH = 1024  # bench: param
STEPS = 50  # bench: param

rng = np.random.default_rng(0)
x = rng.standard_normal((BATCH, WIDTH), dtype=np.float32)
weights = [rng.standard_normal((WIDTH, WIDTH), dtype=np.float32) / np.float32(WIDTH ** 0.5)
           for layer in range(4)]
biases = [np.zeros(WIDTH, dtype=np.float32) for layer in range(4)]
weight_grads = [np.zeros_like(w) for w in weights]
bias_grads = [np.zeros_like(b) for b in biases]

for step in range(STEPS):
    activations = [x]
    for w, b in zip(weights, biases):
        activations.append(np.tanh(activations[-1] @ w + b))
    h = activations[-1]
    loss = (h * h).mean()

    grad = h * np.float32(2.0 / h.size)
    for layer in reversed(range(4)):
        out = activations[layer + 1]
        grad = grad * (1 - out * out)
        weight_grads[layer] += activations[layer].T @ grad
        bias_grads[layer] += grad.sum(axis=0)
        if layer > 0:  # x does not require grad, so its gradient is never formed
            grad = grad @ weights[layer].T

print(loss)
print(weight_grads[0].sum())
