import numpy as np

# Workload 2 by hand: what an engine must do at least — the three forward ops,
# and per step the backward of add, mul-by-constant and sin.
N = 100000  # bench: param

x = np.array(0.5, dtype=np.float32)
y = np.array(0.0, dtype=np.float32)
saved = []
for i in range(N):
    saved.append(y)
    y = np.sin(y) * 0.9 + x

grad = np.array(1.0, dtype=np.float32)
x_grad = np.zeros_like(x)
for y_in in reversed(saved):
    x_grad = x_grad + grad
    grad = grad * 0.9 * np.cos(y_in)
print(y)
print(x_grad)
