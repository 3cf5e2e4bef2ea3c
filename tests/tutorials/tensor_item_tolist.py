# item(), tolist(), float() and formatting of results
import torch

x = torch.tensor([1.5, 2.25, -3.125], requires_grad=True)
loss = (x ** 2).sum()
print(loss.item(), type(loss.item()))
print(x.tolist())
print(x.detach().tolist())
print(float(loss), int(loss))
print(f"loss = {loss:.3f}" if False else f"loss = {loss.item():.3f}")
print("%.4f" % loss.item())
print(round(loss.item(), 2))
print(torch.tensor([1, 2, 3]).tolist(), torch.tensor(5).item())
print(x.grad is None)
print(str(loss.item()))
print(torch.tensor([0.1]).item(), torch.tensor([0.1], dtype=torch.float64).item())
