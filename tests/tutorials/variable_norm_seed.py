# Variable(torch.ones(2)), z = 4*x*x, y = z.norm() and its gradient
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2), requires_grad=True)
z = 4 * x * x
y = z.norm()
print(y)
y.backward()
print(x.grad)
print(z.grad_fn, y.grad_fn)
