# SGD with momentum, nesterov and weight decay on a quadratic
import torch

for kwargs in [dict(lr=0.1), dict(lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.9, nesterov=True),
               dict(lr=0.1, weight_decay=0.01), dict(lr=0.05, momentum=0.5, dampening=0.1)]:
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = torch.optim.SGD([w], **kwargs)
    for _ in range(5):
        opt.zero_grad()
        loss = (w ** 2).sum() + (w[0] - w[1]) ** 2
        loss.backward()
        opt.step()
    print(kwargs, w.detach(), loss.item())
