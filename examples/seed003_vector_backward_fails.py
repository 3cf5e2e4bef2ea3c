# seed 003 / 000: backward() of a vector without grad_tensors fails with PyTorch's message
import torch

x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
z = x * 2
z.backward()
