# printing containers of tensors uses repr
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
print([x, x * 2])
print((x.sum(), x.mean()))
print({"w": x.detach(), "n": torch.tensor(3)})
grads = torch.autograd.grad((x ** 2).sum(), [x])
print(grads)
print(type(grads).__name__, len(grads))
print(x.shape, list(x.shape), tuple(x.shape), x.size(0))
print(torch.Size([2, 3]), torch.Size([]))
print(x.dtype, x.device, x.requires_grad)
