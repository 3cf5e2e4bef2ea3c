# autograd of a real loss of complex tensors
import torch

z = torch.tensor([1.0 + 2.0j, -0.5 + 0.5j], requires_grad=True)
print(z, z.dtype)
loss = (z * z.conj()).real.sum()
print(loss)
loss.backward()
print(z.grad)
print(z.abs(), torch.view_as_real(z.detach()))
