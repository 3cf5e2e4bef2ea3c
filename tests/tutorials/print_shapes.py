# printing 0-d to 4-d tensors, sizes and dtypes
import torch

t = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
print(t)
print(t.shape, t.size(), t.size(1), t.dim(), t.numel())
print(t[0])
print(t[:, 1, :])
print(t.reshape(2, 1, 3, 4))
print(t.dtype, t.sum(dim=2).dtype, t.long().dtype)
print(t.mean(dim=(0, 2)))
print(t.max())
print(t.tolist()[1][2])
print(t[1, 2, 3].item())
