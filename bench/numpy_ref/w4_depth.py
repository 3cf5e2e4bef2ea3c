import numpy as np

# Workload 4 by hand: N multiplies forward, N multiplies backward (mul by a constant saves nothing).
N = 300000  # bench: param

x = np.array(1.0, dtype=np.float32)
y = x
for i in range(N):
    y = y * 1.000001

grad = np.array(1.0, dtype=np.float32)
for i in range(N):
    grad = grad * 1.000001
print(y)
print(grad)
