# y = |4 x * x| for x = (1, 1): the gradient of a norm
import torch

x = torch.ones(2, requires_grad=True)
z = 4 * x * x
y = z.norm()
print(y)
