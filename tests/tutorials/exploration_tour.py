# a new user's exploratory script: create, compute, differentiate, inspect, update
import torch

torch.manual_seed(0)
a = torch.linspace(0.0, 1.0, steps=5, requires_grad=True)
b = torch.tensor([[1.0], [2.0]])
print("a:", a)
c = (a.unsqueeze(0) * b).tanh()
print("c shape:", c.shape, "grad_fn:", c.grad_fn.name())
loss = c.pow(2).mean() + 0.1 * a.abs().sum()
print(f"loss = {loss.item():.6f}")
loss.backward()
print("a.grad:", a.grad)
print("max |grad|:", a.grad.abs().max().item(), "at", a.grad.abs().argmax().item())
with torch.no_grad():
    a -= 0.5 * a.grad
a.grad.zero_()
print("after step:", a)
stats = {"mean": a.mean().item(), "std": a.std().item(), "norm": a.norm().item()}
for k, v in stats.items():
    print(f"{k:>5}: {v:.5f}")
d = torch.stack([a, a ** 2, a.exp()], dim=1)
print(d)
print(d.sum(dim=0), d.max(dim=1).indices, d[d > 1.0])
e = d.T @ d
print(e.shape, torch.allclose(e, e.T))
sol = torch.linalg.solve(e + torch.eye(3), torch.ones(3))
print(sol)
sol.sum().backward()
print(a.grad)
