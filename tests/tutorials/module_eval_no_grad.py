# inference: model.eval() with torch.no_grad(), dropout off
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.ReLU())
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[1.0, 0.5], [-0.5, 1.0]]))
    model[0].bias.zero_()
model.eval()
print(model.training, model[1].training)
with torch.no_grad():
    out = model(torch.tensor([[1.0, 2.0]]))
print(out, out.requires_grad)
model.train()
print(model.training)
