# log_softmax + nll_loss equals cross_entropy; their gradients
import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], requires_grad=True)
target = torch.tensor([0, 1])
lp = F.log_softmax(logits, dim=1)
print(lp)
loss = F.nll_loss(lp, target)
print(loss)
loss.backward()
print(logits.grad)
logits.grad = None
loss2 = F.cross_entropy(logits, target)
loss2.backward()
print(loss2, logits.grad)
print(torch.softmax(logits, dim=1).sum(dim=1))
