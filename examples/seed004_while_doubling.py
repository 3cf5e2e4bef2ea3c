# seed 004: a while loop on data, then backward with a gradient argument
import torch
from torch.autograd import Variable

x = torch.tensor([0.5, -0.25, 1.0])
x = Variable(x, requires_grad=True)

y = x * 2
steps = 0
while y.data.norm() < 1000:
    y = y * 2
    steps += 1

gradients = torch.FloatTensor([0.1, 1.0, 0.0001])
y.backward(gradients)
print(steps, x.grad)
