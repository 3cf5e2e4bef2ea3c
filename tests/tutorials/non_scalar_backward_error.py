# backward() of a non-scalar needs a gradient argument
import torch

x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
z = x * y
print(z)
try:
    z.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
z.backward(torch.FloatTensor([1.0, 1.0, 1.0]))
print(x.grad, y.grad)
z2 = x * y
z2.sum().backward()
print(x.grad, y.grad)
