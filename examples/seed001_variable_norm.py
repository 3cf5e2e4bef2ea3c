# seed 001: old-style Variable and the norm of z = 4*x*x (the tutorial's "z=4xx" lost its '*')
from torch.autograd import Variable
import torch
x = Variable(torch.ones(2), requires_grad = True) #vairable 是 tensor 的一个外包装
z = 4 * x * x
y = z.norm()
print(y)
y.backward()
print(x.grad)
