# Tensor.register_hook: look at and change a gradient on its way back
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * x
h = y.register_hook(lambda grad: print("grad of y:", grad))
z = y.sum()
z.backward()
print(x.grad)
h.remove()

x.grad = None
y = x * x
y.register_hook(lambda grad: grad * 2)
y.sum().backward()
print(x.grad)

def show(grad):
    print("leaf hook", grad)
x.register_hook(show)
(x ** 3).mean().backward()
print(x.grad)
