# torch.autograd.graph.saved_tensors_hooks sees the tensors backward keeps
import torch

def pack(t):
    print("pack", t)
    return t

def unpack(t):
    print("unpack", t)
    return t

a = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    b = a * a
b.sum().backward()
print(a.grad)
