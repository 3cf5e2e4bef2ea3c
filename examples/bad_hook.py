# A deliberately wrong gradient: a hook doubles what reaches x.grad.
# `gradcli check examples/bad_hook.py` fails (exit 3): autograd says 2·cos(x)·2, the
# central differences say cos(x)·2.
import torch

x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
x.register_hook(lambda grad: grad * 2)
y = torch.sin(x) * 2
loss = y.sum()
loss.backward()
