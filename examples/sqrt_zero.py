# sqrt at 0: finite forward, infinite gradient. Try `gradcli backward --detect-anomaly`.
import torch

x = torch.tensor([4.0, 1.0, 0.0], requires_grad=True)
y = torch.sqrt(x)
loss = y.sum()
