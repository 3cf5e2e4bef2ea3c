# print with several arguments, sep and end, and f-strings of tensors
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = (w + x) * (w + 1)
y.backward()
print("w.grad:", w.grad, "x.grad:", x.grad, sep=" | ")
print(w.grad, end="; ")
print(x.grad)
print(f"y = {y}")
print(f"{w.grad.item():.3f} and {x.grad.item():>8.2f}")
print("values", y.item(), y.tolist(), sep="\n")
print(f"{y!r}")
