# out=: results written into an existing tensor; not allowed with autograd
import torch

a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
o = torch.zeros(2, 2)
r = torch.mul(a, a, out=o)
print(r is o, o, o._version)
o2 = torch.empty(0)
torch.matmul(a, a, out=o2)
print(o2)
oi = torch.zeros(2, 2, dtype=torch.long)
try:
    torch.mul(a, a, out=oi)
except RuntimeError as e:
    print(e)
print(torch.add(a, 1, out=torch.zeros(2, 2, dtype=torch.float64)))
w = torch.ones(2, 2, requires_grad=True)
try:
    torch.mul(w, a, out=o)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    print(torch.mul(w, a, out=o))
try:
    torch.mm(a, a, out=w)
except RuntimeError as e:
    print(e)
print(torch.cat([a, a], out=torch.zeros(4, 2)), torch.stack([a, a], out=torch.zeros(2, 2, 2)).shape)
print(torch.sub(a, a, alpha=2, out=torch.zeros(2, 2)), torch.div(a, 2, out=torch.zeros(2, 2)))
