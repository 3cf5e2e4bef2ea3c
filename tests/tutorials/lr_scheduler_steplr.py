# an optimizer with StepLR: the learning rate halves every 3 epochs
import torch

w = torch.tensor([1.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(8):
    opt.zero_grad()
    loss = (w - 3.0).pow(2).sum()
    loss.backward()
    opt.step()
    sched.step()
    print(epoch, sched.get_last_lr(), round(w.item(), 6))
