# "Autograd mechanics": tensor hooks, grad_fn hooks and retain_grad, in the order they run
import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
b.retain_grad()
b.register_hook(lambda g: print("tensor hook 1", g) or g * 10)
b.grad_fn.register_prehook(lambda gout: print("grad_fn prehook", gout))
b.register_hook(lambda g: print("tensor hook 2", g))
b.grad_fn.register_hook(lambda gin, gout: print("grad_fn hook", gin, gout))
a.register_hook(lambda g: print("leaf hook", g))
b.sum().backward()
print(b.grad, a.grad)
