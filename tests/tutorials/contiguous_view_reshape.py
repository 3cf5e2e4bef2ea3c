# view needs a contiguous tensor; reshape copies when it must
import torch

a = torch.arange(6.0).reshape(2, 3)
print(a.is_contiguous(), a.stride())
b = a.t()
print(b.is_contiguous(), b.stride())
try:
    b.view(6)
except RuntimeError as e:
    print(e)
print(b.reshape(6))
c = b.contiguous()
print(c.is_contiguous(), c.stride(), c.view(6))
print(a.expand(2, 2, 3).stride(), a[:, ::2].stride(), a.unsqueeze(0).stride())
print(a.data_ptr() == a.view(3, 2).data_ptr() if False else a.view(3, 2)._base is a)
