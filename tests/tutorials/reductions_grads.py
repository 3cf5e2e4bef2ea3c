# gradients of prod (with a zero), cumsum, var, std, max and logsumexp
import torch

x = torch.tensor([2.0, 0.0, 3.0, -1.0], requires_grad=True)
reductions = {
    "prod": lambda t: t.prod(),
    "cumsum": lambda t: t.cumsum(0).sum(),
    "var": lambda t: t.var(),
    "std": lambda t: t.std(),
    "max": lambda t: t.max(),
    "logsumexp": lambda t: t.logsumexp(0),
    "amax": lambda t: t.amax(),
    "norm": lambda t: t.norm(),
}
for name, f in reductions.items():
    x.grad = None
    y = f(x)
    y.backward()
    print(name, y.item(), x.grad)
