# more first-week errors: item() of a vector, mean of ints, two -1 in view, zero_() of a None grad
import torch

v = torch.tensor([1.0, 2.0, 3.0])
try:
    v.item()
except RuntimeError as e:
    print(e)
try:
    torch.tensor([1, 2, 3]).mean()
except RuntimeError as e:
    print(e)
try:
    v.view(-1, -1)
except RuntimeError as e:
    print(e)
w = torch.tensor([1.0], requires_grad=True)
try:
    w.grad.zero_()
except AttributeError as e:
    print(e)
try:
    torch.autograd.grad(w * 2, w)
except RuntimeError as e:
    print(e)
y = (w * 3).sum()
torch.autograd.grad(y, w)
try:
    torch.autograd.grad(y, w)
except RuntimeError as e:
    print(str(e)[:60])
try:
    torch.nn.functional.relu(w, inplace=True)
except RuntimeError as e:
    print(e)
