# a second backward without retain_graph ends the program with torch's error
import torch

x = torch.tensor([0.5, 1.5], requires_grad=True)
y = (x.exp() * x).sum()
y.backward()
print(x.grad)
y.backward()
