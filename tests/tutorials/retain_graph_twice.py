# backward twice through the same graph needs retain_graph=True; gradients accumulate
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward(retain_graph=True)
print(w.grad)
y.backward()
print(w.grad)
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
