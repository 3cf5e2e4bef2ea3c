# torch.func: grad (nested for higher derivatives), grad_and_value, jacrev, and per-sample gradients with vmap
import torch
from torch.func import grad, grad_and_value, vmap, jacrev
f = lambda x: (x ** 3).sum()
x = torch.tensor([1.0, 2.0])
print(grad(f)(x)); print(grad(grad(lambda t: t ** 3))(torch.tensor(2.0)))
print(grad(grad(grad(lambda t: t.sin())))(torch.tensor(0.5)))
print(grad_and_value(f)(x))
print(grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(x, x + 1))
print(grad(lambda a: ((a ** 2).sum(), a.mean()), has_aux=True)(x))
try:
    grad(lambda t: t ** 2)(x)
except RuntimeError as e:
    print(type(e).__name__, e)
print(jacrev(lambda t: t ** 2)(x))
print(vmap(lambda t: t * 2)(x), vmap(torch.dot)(torch.ones(2, 3), torch.ones(2, 3)))
print(vmap(lambda a, b: a @ b, in_dims=(0, None))(torch.arange(6.).reshape(2, 3), torch.ones(3)))
w = torch.tensor([1.0, 2.0], requires_grad=True)
g = grad(lambda t: (t * w).sum())(x)
print(g)
print(grad(f)(torch.tensor([1.0, 2.0], requires_grad=True)))
def loss(params, xb, yb):
    return ((xb @ params - yb) ** 2).mean()
params = torch.tensor([0.5, -0.5])
X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.5, 0.0]])
Y = torch.tensor([1.0, 2.0, 3.0])
per_sample = vmap(grad(loss), in_dims=(None, 0, 0))(params, X, Y)
print(per_sample)
print(grad(loss)(params, X, Y), per_sample.mean(0))
from torch.func import jacfwd, hessian
z = torch.tensor([1.0, 2.0, -0.5])
print(jacfwd(torch.sin)(z))
print(hessian(lambda t: (t ** 3).sum() + t[0] * t[1])(z))
print(jacrev(jacrev(lambda t: (t ** 3).sum() + t[0] * t[1]))(z))
print(jacrev(lambda a, b: a * b, argnums=(0, 1))(z, z.exp()))
