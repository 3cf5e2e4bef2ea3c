# shapes and values of matrix product gradients
import torch

A = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
B = torch.tensor([[0.5, -1.0], [1.5, 2.0], [-0.5, 0.25]], requires_grad=True)
v = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
C = A @ B
print(C)
C.sum().backward()
print(A.grad, A.grad.shape)
print(B.grad)
u = A @ v
print(u, u.grad_fn)
u.backward(torch.tensor([1.0, 2.0]))
print(v.grad)
print(torch.dot(v, v), torch.mv(A, v).grad_fn)
