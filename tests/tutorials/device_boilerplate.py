# the device boilerplate of tutorials: cuda if available, else cpu
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, repr(device), device.type, device.index)
dtype = torch.float
x = torch.tensor([1.0, 2.0], device=device, dtype=dtype, requires_grad=True)
y = (x * 2).to(device)
print(y.device, x.is_cuda, y.get_device() if False else y.device.type)
y.sum().backward()
print(x.grad, x.grad.device)
m = torch.nn.Linear(2, 1).to(device)
print(next(m.parameters()).device)
print(torch.device("cpu") == torch.device("cpu"), str(torch.device("cpu")))
print(torch.zeros(2, device="cpu"), torch.ones(1).cpu())
print(repr(torch.device("cuda:1")), torch.device("cuda", 0), torch.device("cpu") == "cpu")
print(torch.backends.mps.is_available(), torch.cuda.device_count())
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
try:
    torch.ones(1).to(torch.device("cuda"))
except AssertionError as e:
    print("AssertionError:", e)
