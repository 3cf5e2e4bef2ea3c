import numpy as np

# Workload 6 by hand: f = sum(sin(x) * x**2) + sum(x)**2, gradient
# g = cos(x) * x**2 + 2 * x * sin(x) + 2 * sum(x), then one vector-Jacobian
# product of g per row, seeded with a one-hot vector, as reverse mode does.
N = 300  # bench: param

x = np.linspace(-2.0, 3.0, N)
sin_x = np.sin(x)
cos_x = np.cos(x)
x_sq = x ** 2
g = cos_x * x_sq + 2 * x * sin_x + 2 * x.sum()

rows = []
for i in range(N):
    seed = np.zeros(N)
    seed[i] = 1.0
    from_cos_term = seed * x_sq * -sin_x + seed * cos_x * 2 * x
    from_sin_term = 2 * seed * sin_x + 2 * seed * x * cos_x
    from_sum_term = np.full(N, 2 * seed.sum())
    rows.append(from_cos_term + from_sin_term + from_sum_term)
H = np.stack(rows)
print(H.shape)
print(H.sum())
print(H[:2, :3])
