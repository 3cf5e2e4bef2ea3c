# torch.special names for familiar functions: expit is sigmoid, and the same backward nodes
import torch
x = torch.tensor([0.2, 0.5, 0.9], requires_grad=True)
for name in ["expit", "erf", "erfc", "logit", "expm1", "exp2", "log1p"]:
    f = {"expit": torch.special.expit, "erf": torch.special.erf, "erfc": torch.special.erfc, "logit": torch.special.logit, "expm1": torch.special.expm1, "exp2": torch.special.exp2, "log1p": torch.special.log1p}[name]
    print(name, f(x))
print(torch.special.xlogy(x, x), torch.special.logsumexp(x, 0), torch.special.softmax(x, 0), torch.special.log_softmax(x, dim=0))
print(torch.special.logit(x, eps=0.3))
