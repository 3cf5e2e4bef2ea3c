# large tensors print with ... (summarization past 1000 elements)
import torch

print(torch.arange(2000))
print(torch.arange(1001.))
print(torch.linspace(0, 1, 1500))
print(torch.ones(40, 40))
print(torch.arange(3000).reshape(30, 100))
print(torch.zeros(2, 600))
