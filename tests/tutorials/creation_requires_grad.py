# factory functions with requires_grad=True are leaves
import torch

for t in [torch.zeros(2, requires_grad=True), torch.ones(2, 2, requires_grad=True),
          torch.full((3,), 0.5, requires_grad=True), torch.arange(3., requires_grad=True),
          torch.linspace(0, 1, 3, requires_grad=True), torch.eye(2, requires_grad=True),
          torch.zeros_like(torch.ones(2), requires_grad=True), torch.tensor(1.0).new_tensor([2.0, 3.0]),
          torch.ones(2).new_zeros(3), torch.empty(0, requires_grad=True)]:
    print(t, t.is_leaf, t.requires_grad)
print(torch.FloatTensor([[1, 2], [3, 4]]), torch.LongTensor([1, 2]), torch.DoubleTensor([0.5]))
print(torch.Tensor([1, 2]).type(), torch.tensor([1]).type(), torch.ones(1).type(torch.DoubleTensor))
print(torch.is_tensor(torch.ones(1)), torch.is_tensor([1.0]), torch.numel(torch.ones(2, 3)))
