"""The options every command shares, declared once (see ``params``: Typer and the fast
parser both read them)."""

from enum import Enum

from .params import Param

PROGRAM = "Program"
LIMITS = "Limits"
OUTPUT = "Output"


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    plain = "plain"


class DType(str, Enum):
    float32 = "float32"
    float64 = "float64"


File = Param(
    argument=True, metavar="FILE", show_default=False,
    help="The program to run, or '-' to read it from standard input.")
Expr = Param(
    "--expr", "-e", metavar="EXPRESSION", rich_help_panel=PROGRAM,
    help="A one-line program instead of FILE; bare torch names work (sin(x) * y) and "
         "every --set name is a float leaf that requires grad.")
Set = Param(
    "--set", multiple=True, metavar="NAME=VALUE", rich_help_panel=PROGRAM,
    help="Bind or override a top-level name before the program runs: 3, [1, 2, 3], "
         "@x.npy, @w.npz:name, @x.csv. Repeatable.")
DTypeOpt = Param(
    "--dtype", kind=DType, rich_help_panel=PROGRAM, case_sensitive=False,
    help="Default dtype of float literals and factories (torch.set_default_dtype). [default: float32]")
MaxSteps = Param(
    "--max-steps", kind=int, metavar="N", min=1, rich_help_panel=LIMITS,
    help="Stop the program after N interpreter steps.")
MaxElements = Param(
    "--max-elements", kind=int, metavar="N", min=1, rich_help_panel=LIMITS,
    help="Refuse to create a tensor of more than N elements.")
Timeout = Param(
    "--timeout", kind=float, metavar="SECONDS", min=0.001, rich_help_panel=LIMITS,
    help="Stop the command after SECONDS seconds.")
Debug = Param(
    "--debug", kind=bool, rich_help_panel=LIMITS,
    help="Show the Python traceback of an internal error.")
FormatOpt = Param(
    "--format", "-f", kind=Format, rich_help_panel=OUTPUT, case_sensitive=False,
    help="table (Rich; 100 columns when not a terminal), json, csv (one row per element) "
         "or plain (NAME<TAB>g1 g2 ...).")
SaveGrads = Param(
    "--save-grads", metavar="OUT.npz", rich_help_panel=OUTPUT,
    help="Also write every leaf's gradient (grad: every input's) to a numpy .npz file.")
AllNodes = Param(
    "--all-nodes", kind=bool, rich_help_panel=OUTPUT,
    help="Also list the unnamed intermediate nodes, by op and source position.")
Of = Param(
    "--of", multiple=True, metavar="NAME",
    help="The tensor to differentiate. Repeatable. [default: the last tensor the program "
         "assigned; with -e, the expression]")
RetainGraph = Param(
    "--retain-graph", kind=bool, help="Keep the graph after the pass (retain_graph=True).")
CreateGraph = Param(
    "--create-graph", kind=bool, help="Record the pass itself, for higher derivatives (create_graph=True).")
DetectAnomaly = Param(
    "--detect-anomaly", kind=bool,
    help="Report the first NaN or infinity, forward or backward: the source line, the grad_fn and "
         "the rule that produced it.")
