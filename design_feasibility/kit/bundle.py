"""Write the kit's `analysis.py` from the package's own source: one source of truth.

The script a researcher takes into the CBS environment may import nothing of this project.
Instead of a copy of the estimator, it is assembled here from the package's modules: whole
modules that are plain numpy/scipy (`ALL`), and chosen top-level definitions of the modules
that also hold project plumbing (settings from YAML, findings). Their text is taken verbatim
(ast source segments); imports of project packages are dropped, and every name they imported
must be defined by another part or set by `script_main.configure` (the settings the package
reads from its YAML settings, which the kit reads from kit_config.json) or be one of the
`CONSTANTS` written at the top of the script (the disclosure threshold, Rotterdam's
departments, which core.arms uses for the spelling and order of arms).

Checks at build time (a `BundleError` names the problem): a name defined twice, two imports
binding one name differently, an import of a package outside `ALLOWED` (pandas, numpy,
statsmodels, linearmodels, scipy - statsmodels' and linearmodels' own dependency - and the
standard library), a project name that nothing defines, and an import inside a function.

One substitution is deliberate: `first_stage.partial_out` is not taken, so the
Sanderson-Windmeijer F uses `inference._core.partial_out` (the same residuals by QR instead
of lstsq); tests/test_kit.py checks that the kit's F equals the package's.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import sys

import core
from core.canonical import DEPARTMENTS

ALL = None
PROJECT = {"core", "design_feasibility", "demo", "quality_checks", "population", "linkage_readiness",
           "maturity", "workplan", "dialogue", "app_pages"}
ALLOWED = {"pandas", "numpy", "statsmodels", "linearmodels", "scipy"}
# Constants of the project written at the top of the script, with where they come from.
CONSTANTS = {"MIN_COUNT": (core.MIN_COUNT, "core.MIN_COUNT: the disclosure threshold"),
             "DEPARTMENTS": (DEPARTMENTS, "core.canonical.DEPARTMENTS: Rotterdam's spelling and order of arms")}

# (module, names or ALL), in the order they appear in the script.
PARTS = (
    ("core.disclosure", ALL),
    ("design_feasibility.inference._core", ALL),
    ("design_feasibility.inference.iv", ALL),
    ("design_feasibility.inference.balance", ALL),
    ("design_feasibility.inference.strength", ALL),
    ("design_feasibility.result", ("FrameSummary", "Estimate", "GreyArea")),
    ("core.arms", ("ROTTERDAM_REFERENCE", "too_rare", "ArmChoice", "Arms", "arm_of", "_rank", "resolve_arms")),
    ("design_feasibility.frame", ("UNKNOWN", "AnalysisFrame", "_text", "column", "valid_dates",
                                  "_age_band", "_first_referrals", "_outcome", "_dummies", "build_frame")),
    ("design_feasibility.preferences", ("Preferences", "design_matrix", "arm_codes", "referral_model",
                                        "leave_one_out", "estimate_preferences")),
    ("design_feasibility.estimates", ("nonconstant", "controls", "treatments", "instruments",
                                      "clusters", "fit", "_rows", "primary_iv", "iv_rows",
                                      "table_estimates")),
    ("design_feasibility.first_stage", ("CLASSES", "ConditionalF", "cluster_wald",
                                        "sanderson_windmeijer", "conditional_f", "grey_area")),
    ("design_feasibility.kit.output_check", ALL),
    ("design_feasibility.kit.script_main", ALL),
)


class BundleError(RuntimeError):
    """The package's source cannot be bundled into a self-contained script."""


def _defined(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _segment(lines: list[str], node: ast.stmt) -> str:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "".join(lines[start - 1:node.end_lineno])


def _root(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [(node.module or "").split(".")[0]]
    return [alias.name.split(".")[0] for alias in node.names]


def _bound(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """(name bound, what it is) of an import statement."""
    if isinstance(node, ast.ImportFrom):
        return [(a.asname or a.name, f"{node.module}.{a.name}") for a in node.names]
    return [(a.asname or a.name.split(".")[0], a.name if a.asname else a.name.split(".")[0]) for a in node.names]


class _Bundle:
    def __init__(self):
        self.imports: dict[str, str] = {}      # unparsed import -> first module using it
        self.bound: dict[str, str] = {}
        self.defined: dict[str, str] = {}      # name -> module
        self.needed: dict[str, str] = {}       # project name imported -> module
        self.blocks: list[str] = []

    def add(self, module_name: str, names):
        module = importlib.import_module(module_name)
        source = inspect.getsource(module)
        lines = source.splitlines(keepends=True)
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in tree.body:
                lines = self._local_import(module_name, node, lines)
        chosen, project = [], set()
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                project |= self._import(module_name, node)
            elif names is ALL or set(_defined(node)) & set(names):
                chosen.append(node)
        used = {n.id for node in chosen for n in ast.walk(node) if isinstance(n, ast.Name)}
        for name in project & used:
            self.needed.setdefault(name, module_name)
        for node in chosen:
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            if is_docstring or _defined(node) == ["__all__"]:
                continue
            if not _defined(node):
                raise BundleError(f"{module_name}: top-level statement that defines nothing "
                                  f"(line {node.lineno})")
            for name in _defined(node):
                if name in self.defined:
                    raise BundleError(f"{name} is defined in {self.defined[name]} and {module_name}")
                self.defined[name] = module_name
        missing = set(names or ()) - {n for node in chosen for n in _defined(node)}
        if missing:
            raise BundleError(f"{module_name} no longer defines {', '.join(sorted(missing))}")
        body = "\n\n".join(_segment(lines, node).rstrip() for node in chosen
                           if _defined(node) and _defined(node) != ["__all__"])
        self.blocks.append(f"# ---- from {module_name.replace('.', '/')}.py\n\n{body}\n")

    def _local_import(self, module_name: str, node, lines: list[str]) -> list[str]:
        """An import inside a function: of the project, it becomes `pass` (its names are in
        the script already); of anything else, an error."""
        if not any(r in PROJECT for r in _root(node)):
            raise BundleError(f"{module_name}: import inside a function ({ast.unparse(node)})")
        for name, _ in _bound(node):
            self.needed.setdefault(name, module_name)
        indent = lines[node.lineno - 1][:node.col_offset]
        replaced = [f"{indent}pass  # bundled: {ast.unparse(node)}\n"] + ["\n"] * (node.end_lineno - node.lineno)
        return lines[:node.lineno - 1] + replaced + lines[node.end_lineno:]

    def _import(self, module_name: str, node) -> set[str]:
        """Keep an import of an allowed package; return the names an import of the project binds."""
        roots = _root(node)
        if any(r in PROJECT for r in roots):
            return {name for name, _ in _bound(node)}
        if any(r not in ALLOWED and r not in sys.stdlib_module_names and r != "__future__" for r in roots):
            raise BundleError(f"{module_name} imports {', '.join(roots)}, which the kit may not use")
        for name, what in _bound(node):
            if self.bound.setdefault(name, what) != what:
                raise BundleError(f"{name} is imported as {self.bound[name]} and as {what}")
        self.imports.setdefault(ast.unparse(node), module_name)
        return set()

    def script(self, header: str, configured: tuple[str, ...]) -> str:
        provided = set(self.defined) | set(configured) | set(CONSTANTS)
        unknown = sorted(n for n in self.needed if n not in provided)
        if unknown:
            raise BundleError("names the package imports that the kit does not define: "
                              + ", ".join(f"{n} ({self.needed[n]})" for n in unknown))
        imports = sorted(self.imports, key=lambda s: (not s.startswith("from __future__"),
                                                      s.startswith("from "), s))
        constants = [f"{name} = {value!r}   # {source}" for name, (value, source) in CONSTANTS.items()]
        return "\n".join([header, *imports, "", *constants, "", "", *self.blocks,
                          "", "if __name__ == \"__main__\":", "    sys.exit(main())", ""])


def script_source() -> str:
    """The text of the kit's analysis.py."""
    from design_feasibility.kit import script_main
    bundle = _Bundle()
    for module_name, names in PARTS:
        bundle.add(module_name, names)
    header = ('"""' + script_main.SCRIPT_DOC.strip() + '\n"""')
    return bundle.script(header, script_main.CONFIGURED)
