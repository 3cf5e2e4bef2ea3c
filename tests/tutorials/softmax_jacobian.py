# the Jacobian of softmax: diag(s) - s s^T, by autograd and by hand
import torch
from torch.autograd.functional import jacobian, vjp, jvp

z = torch.tensor([1.0, 2.0, 0.5])
J = jacobian(lambda t: torch.softmax(t, dim=0), z)
print(J)
s = torch.softmax(z, dim=0)
print(torch.diag(s) - torch.outer(s, s))
print(torch.allclose(J, torch.diag(s) - torch.outer(s, s)))
out, v = vjp(lambda t: torch.softmax(t, dim=0), z, torch.tensor([1.0, 0.0, 0.0]))
print(out, v)
out, u = jvp(lambda t: torch.log_softmax(t, dim=0), z, torch.tensor([0.0, 1.0, 0.0]))
print(out, u)
