# detect_anomaly names the backward function that produced nan
import torch

x = torch.tensor([0.0, 1.0], requires_grad=True)
y = x.sqrt() * 0
with torch.autograd.detect_anomaly():
    z = torch.sqrt(x) / x
    try:
        z.sum().backward()
    except RuntimeError as e:
        print(e)
y.sum().backward()
print(x.grad)
