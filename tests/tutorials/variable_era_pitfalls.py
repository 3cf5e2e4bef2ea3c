# PyTorch 0.3 habits that modern torch refuses: loss.data[0], volatile, creator
import torch
from torch.autograd import Variable

x = Variable(torch.Tensor([2.0]), requires_grad=True)
loss = (x * x).sum()
loss.backward()
try:
    print(loss.data[0])
except IndexError as e:
    print("IndexError:", e)
print(loss.data.item(), loss.item(), x.grad.data[0])
v = Variable(torch.ones(2), volatile=True)
print(v, v.requires_grad)
try:
    print(loss.creator)
except AttributeError as e:
    print("AttributeError:", e)
w = Variable(torch.FloatTensor([[1, 2], [3, 4]]), requires_grad=False)
print(w.requires_grad, isinstance(w, torch.Tensor), type(w))
