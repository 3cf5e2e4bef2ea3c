# in-place operations on a leaf that requires grad are refused
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
try:
    w.add_(1)
except RuntimeError as e:
    print(e)
try:
    w += 1
except RuntimeError as e:
    print(e)
try:
    w[0] = 5.0
except RuntimeError as e:
    print(e)
with torch.no_grad():
    w.add_(1)
print(w, w.is_leaf)
w.data.mul_(2)
print(w)
