"""torch by every route: import, importlib with the import guard taken out of sys.meta_path,
the grader's own site-packages and another environment's added to sys.path, and
spec_from_file_location on every torch/__init__.py anywhere the sandbox shows. Also
scipy.signal (forbidden, so absent)."""
import importlib
import importlib.util
import os
import sys

routes = {}


def attempt(name, fn):
    try:
        fn()
        routes[name] = "imported"
    except BaseException as e:          # ImportError, or anything a broken copy raises
        routes[name] = f"{type(e).__name__}: {e}"[:200]
        for mod in [m for m in sys.modules if m == "torch" or m.startswith("torch.")]:
            del sys.modules[mod]


attempt("import", lambda: __import__("torch"))
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_ImportGuard"]
attempt("importlib_unguarded", lambda: importlib.import_module("torch"))
for path in {{SITE_DIRS}}:
    sys.path.insert(0, path)
attempt("sys_path_other_envs", lambda: importlib.import_module("torch"))
candidates = list({{TORCH_FILES}})
for folder, dirs, files in os.walk("/", followlinks=False):
    if folder in ("/proc", "/dev", "/sys"):
        dirs[:] = []
    elif os.path.basename(folder) == "torch" and "__init__.py" in files:
        candidates.append(os.path.join(folder, "__init__.py"))
for i, path in enumerate(candidates):
    def load(path=path):
        spec = importlib.util.spec_from_file_location("torch", path,
                                                      submodule_search_locations=[os.path.dirname(path)])
        if spec is None:
            raise ImportError("no spec")
        module = importlib.util.module_from_spec(spec)
        sys.modules["torch"] = module
        spec.loader.exec_module(module)
    attempt(f"from_file {path}", load)
attempt("scipy.signal", lambda: importlib.import_module("scipy.signal"))
report["routes"] = routes
report["imported"] = [k for k, v in routes.items() if v == "imported" and k != "scipy.signal"]
report["scipy_signal"] = routes["scipy.signal"]
