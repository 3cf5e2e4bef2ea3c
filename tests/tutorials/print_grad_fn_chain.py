# walking the graph from grad_fn through next_functions
import torch

a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
print(Q.grad_fn)
print(Q.grad_fn.next_functions)
print(Q.grad_fn.next_functions[0][0].next_functions)
print(Q.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)
acc = Q.grad_fn.next_functions[1][0].next_functions[0][0]
print(acc, acc.variable is b)
print(Q.grad_fn.name(), type(Q.grad_fn).__name__)
s = Q.sum()
print(s.grad_fn.next_functions[0][0] is Q.grad_fn)
