# legacy constructors with sizes, then filled: torch.Tensor(2, 3).fill_(1), FloatTensor(n).zero_()
import torch

a = torch.Tensor(2, 3).fill_(1.5)
b = torch.FloatTensor(4).zero_()
c = torch.LongTensor(2, 2).fill_(7)
d = torch.empty(2, 2).copy_(torch.eye(2))
print(a, b, c, d, sep="\n")
print(torch.Tensor(), torch.Tensor().shape, torch.Tensor(0).shape)
w = torch.Tensor(3).fill_(0.5).requires_grad_()
(w * torch.Tensor([1, 2, 3])).sum().backward()
print(w.grad, w.grad.type())
print(torch.zeros(2, 3).new_ones(2), torch.ones(1).new_full((2,), 3.0), a.new_empty(0).shape)
