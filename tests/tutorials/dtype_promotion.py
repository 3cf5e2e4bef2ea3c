# dtype promotion between ints, float32 and float64, and the dtype of gradients
import torch

i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 0.5, 0.5])
d = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
print((i + f).dtype, (i * 2).dtype, (i / 2).dtype, (i // 2).dtype, (f + d).dtype)
print(i / 2, i // 2, i % 2, i ** 2)
print(torch.tensor(3) * 1.5, torch.tensor([True, False]) + 1)
y = (f * d).sum()
y.backward()
print(d.grad, d.grad.dtype)
print(torch.tensor(1.0).double(), torch.ones(2, dtype=torch.float16))
print(torch.get_default_dtype(), torch.tensor(1.5).dtype, torch.tensor(2).dtype)
