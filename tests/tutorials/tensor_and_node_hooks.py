# hooks on grad_fn nodes: a pre-hook sees grad_outputs, a hook grad_inputs and grad_outputs
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
z = y.sum()

def node_hook(grad_inputs, grad_outputs):
    print("node hook", grad_inputs, grad_outputs)

def pre_hook(grad_outputs):
    print("pre hook", grad_outputs)

y.grad_fn.register_hook(node_hook)
y.grad_fn.register_prehook(pre_hook)
z.backward()
print(x.grad)
