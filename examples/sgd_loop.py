# Fit w*x + b to a line by gradient descent, with torch.optim.SGD
import torch

xs = torch.tensor([0., 1., 2., 3.])
ys = torch.tensor([1., 3., 5., 7.])
w = torch.tensor(0., requires_grad=True)
b = torch.tensor(0., requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.05)
for step in range(200):
    opt.zero_grad()
    loss = ((w * xs + b - ys) ** 2).mean()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step:3d} loss {loss.item():.4f}")
print(f"w={w.item():.3f} b={b.item():.3f}")
