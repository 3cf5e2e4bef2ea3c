# numpy() of a tensor that requires grad is refused; detach first
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x.detach().numpy())
print(torch.tensor([[1, 2], [3, 4]]).numpy())
x.numpy()
