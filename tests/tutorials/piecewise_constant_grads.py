# ops whose derivative is zero or not defined: round, sign, floor, floor_divide, integer casts
import torch

x = torch.tensor([0.4, 1.6, -2.5], requires_grad=True)
for name, f in [("round", torch.round), ("sign", torch.sign), ("floor", torch.floor), ("frac", torch.frac),
                ("remainder", lambda t: torch.remainder(t, 1.0)), ("fmod", lambda t: torch.fmod(t, 1.5))]:
    x.grad = None
    y = f(x)
    y.sum().backward()
    print(name, y.detach(), x.grad, y.grad_fn)
z = x // 1
print(z, z.grad_fn)
try:
    z.sum().backward()
except RuntimeError as e:
    print(e)
n = x.long()
print(n, n.requires_grad, x.argmax(), (x > 0).requires_grad)
