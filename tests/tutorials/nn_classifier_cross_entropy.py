# a tiny softmax classifier with CrossEntropyLoss and argmax accuracy
import torch
import torch.nn as nn
import torch.nn.functional as F

X = torch.tensor([[1.0, 2.0], [2.0, 1.0], [-1.0, -2.0], [-2.0, -1.0], [0.5, -0.5]])
labels = torch.tensor([0, 0, 1, 1, 2])
model = nn.Linear(2, 3)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.1, 0.2], [-0.3, 0.1], [0.2, -0.2]]))
    model.bias.zero_()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
for epoch in range(30):
    logits = model(X)
    loss = F.cross_entropy(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        acc = (logits.argmax(dim=1) == labels).float().mean()
        print(epoch, f"{loss.item():.5f}", acc.item())
print(F.softmax(model(X), dim=1))
print(nn.CrossEntropyLoss()(model(X), labels))
