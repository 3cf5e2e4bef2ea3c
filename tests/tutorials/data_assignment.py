# updating weights through .data (old tutorials) does not touch the graph
import torch

w = torch.tensor([0.5, -0.5], requires_grad=True)
x = torch.tensor([1.0, 2.0])
for step in range(3):
    loss = ((w * x).sum() - 1.0) ** 2
    loss.backward()
    w.data -= 0.1 * w.grad.data
    print(step, loss.item(), w.data, w.grad)
    w.grad.data.zero_()
w.data = torch.tensor([9.0, 9.0])
print(w, w.is_leaf, w._version)
