# gradient clipping before an optimizer step
import torch

w = torch.tensor([3.0, 4.0], requires_grad=True)
loss = (w ** 2).sum() * 10
loss.backward()
print(w.grad)
total = torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
print(total)
print(w.grad, w.grad.norm())
torch.nn.utils.clip_grad_value_([w], clip_value=0.5)
print(w.grad)
