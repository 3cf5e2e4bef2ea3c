# what a DataLoader yields: lists of stacked tensors, a short last batch or drop_last, len()
import torch
from torch.utils.data import DataLoader, TensorDataset
import torch.utils.data as data

x = torch.arange(10.0).reshape(5, 2)
y = torch.tensor([0, 1, 0, 1, 1])
ds = TensorDataset(x, y)
for xs, ys in ds:
    print(xs, ys)
    break
loader = DataLoader(ds, batch_size=2)
print(len(loader))
for batch in loader:
    print(batch)
print(len(DataLoader(ds, batch_size=2, drop_last=True)), [b[0].shape for b in DataLoader(ds, batch_size=2, drop_last=True)])
shuffled = data.DataLoader(ds, batch_size=3, shuffle=True)
print([xb.shape for xb, yb in shuffled], len(shuffled))
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
for row, in DataLoader(TensorDataset(w), batch_size=2):
    print(row, row.grad_fn)
print(next(iter(DataLoader([(1.0, 2), (3.0, 4)], batch_size=2))))
try:
    TensorDataset(x, torch.ones(3))
except AssertionError as e:
    print("AssertionError:", e)
