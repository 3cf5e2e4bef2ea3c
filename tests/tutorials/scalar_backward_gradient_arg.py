# backward of a scalar with an explicit gradient scales the result
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2).sum()
y.backward(torch.tensor(2.0))
print(x.grad)
x.grad = None
y = (x ** 2).mean()
y.backward(gradient=torch.tensor(0.5), retain_graph=True)
print(x.grad)
torch.autograd.backward(y)
print(x.grad)
