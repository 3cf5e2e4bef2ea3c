# backward of something that does not require grad
import torch

a = torch.tensor([1.0, 2.0])
b = (a * 3).sum()
print(b.requires_grad, b.grad_fn)
try:
    b.backward()
except RuntimeError as e:
    print(e)
x = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = (x * x).sum()
y.backward()
