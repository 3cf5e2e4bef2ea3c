# lesson-6: a computation graph, its leaves, gradients and grad_fns
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)  # retain_grad()
y = torch.mul(a, b)
# backpropagate to every node
y.backward()
# which tensors are leaves
print("is_leaf:\n", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
# their gradients: only the leaves keep them
print("gradient:\n", w.grad, x.grad)
# the functions that made them
print("grad_fn:\n", w.grad_fn, x.grad_fn, a.grad_fn.name(), b.grad_fn.name(), y.grad_fn.name())
