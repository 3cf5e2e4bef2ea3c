# torch.no_grad as a decorator, set_grad_enabled, enable_grad, is_grad_enabled
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

@torch.no_grad()
def double(t):
    return t * 2

y = double(x)
print(y.requires_grad)
with torch.set_grad_enabled(False):
    print(torch.is_grad_enabled(), (x * 2).requires_grad)
    with torch.enable_grad():
        print(torch.is_grad_enabled(), (x * 2).requires_grad)
print(torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((x + 1).requires_grad)
torch.set_grad_enabled(True)
print((x + 1).requires_grad)
with torch.inference_mode():
    z = x * 3
print(z.requires_grad)
