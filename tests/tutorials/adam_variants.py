# Adam, AdamW, amsgrad and Adagrad on the same loss (RMSprop: examples_optim_poly.py)
import torch

makers = {
    "Adam": lambda p: torch.optim.Adam(p, lr=0.1),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.1),
    "Adam amsgrad": lambda p: torch.optim.Adam(p, lr=0.1, amsgrad=True),
    "Adagrad": lambda p: torch.optim.Adagrad(p, lr=0.5),
}
for name, make in makers.items():
    w = torch.tensor([[0.5, -1.0], [2.0, 0.1]], requires_grad=True)
    opt = make([w])
    for _ in range(10):
        opt.zero_grad()
        loss = ((w @ torch.tensor([1.0, 2.0]) - torch.tensor([1.0, 0.0])) ** 2).sum()
        loss.backward()
        opt.step()
    print(name, loss.item())
    print(w.detach())
