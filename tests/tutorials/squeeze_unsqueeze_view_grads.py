# view-like ops and their grad_fns: view, unsqueeze, squeeze, transpose, permute, expand
import torch

x = torch.arange(6.0).reshape(2, 3).requires_grad_()
y = x.view(3, 2).unsqueeze(0).transpose(1, 2).permute(2, 0, 1)
print(y.shape, y.grad_fn)
z = y.squeeze(1).expand(4, 2, 3)
print(z.shape, z.grad_fn, z.is_contiguous())
(z * torch.arange(24.0).reshape(4, 2, 3)).sum().backward()
print(x.grad)
print(x.is_leaf, y._base is x, y.is_leaf)
