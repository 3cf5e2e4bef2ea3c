# the shape errors beginners meet first
import torch

a = torch.ones(2, 3)
b = torch.ones(2, 3)
try:
    a @ b
except RuntimeError as e:
    print(e)
try:
    a + torch.ones(4)
except RuntimeError as e:
    print(e)
try:
    a.t().view(6)
except RuntimeError as e:
    print(e)
try:
    a.view(4, 2)
except RuntimeError as e:
    print(e)
try:
    a[2]
except IndexError as e:
    print(e)
try:
    torch.mm(a, torch.ones(3, 2, dtype=torch.float64))
except RuntimeError as e:
    print(e)
print(a.t().reshape(6))
print(a.t().contiguous().view(3, 2).is_contiguous())
