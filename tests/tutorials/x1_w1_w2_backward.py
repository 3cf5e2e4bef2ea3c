# X2 = X1 * W1, y = X2 * W2, L = mean(Y - y): leaf flags, grads, requires_grad_
import torch

x1 = torch.tensor([2, 3, 4, 5], dtype=torch.float, requires_grad=True)
print(x1)
w1 = torch.ones(4)
w1.requires_grad = True
print(w1)
w2 = torch.Tensor([1, 2, 3, 4])
w2.requires_grad_(True)
print(w2)
x2 = x1 * w1
print(x2)
a = torch.ones(2, 2, requires_grad=True)
print(a.grad_fn)
b = a + 2
print(b.grad_fn)
c = b * b * 3
print(c.grad_fn)
y = x2 * w2
Y = torch.ones(4, requires_grad=True)
L = (Y - y).mean()
L.backward()
print(x1.grad, w1.grad, w2.grad, Y.grad)
print(x1.is_leaf, x2.is_leaf, L.is_leaf)
