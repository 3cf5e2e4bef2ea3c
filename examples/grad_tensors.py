# A vector output needs grad_tensors: z.backward(v) computes v^T J
# gradcli backward: --grad-tensors "[0.1, 1.0, 0.0001]"
import torch

x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
z = x * y
print(z)
