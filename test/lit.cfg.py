# -*- Python -*-
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "Kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test", ".c"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "models",
                   "CMakeLists.txt", "README.md"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test")

config.substitutions.append(("%kiln_src", config.kiln_src_root))
config.substitutions.append(("%kiln_lib", config.kiln_lib_dir))
config.substitutions.append(("%kiln_plugin",
                             os.path.join(config.kiln_lib_dir, "KilnPlugin.so")))
config.substitutions.append(("%runtime_include",
                             os.path.join(config.kiln_src_root, "runtime", "include")))
# Debian's own mlir-opt, to test the plugin against.
config.substitutions.append(("%mlir_opt",
                             os.path.join(config.llvm_tools_dir, "mlir-opt")))
# Debian's python3 sees python3-torch/onnx/numpy.
config.substitutions.append(("%python", "/usr/bin/python3"))

llvm_config.with_system_environment(["HOME", "TMPDIR", "PATH"])
llvm_config.use_default_substitutions()
tools = ["kiln-opt", "kiln-compile", "kiln-run", "kiln-unit-tests",
         "kiln-compiler-unit-tests"]
llvm_config.add_tool_substitutions(tools, [config.kiln_tools_dir])
llvm_config.with_environment("PATH", config.kiln_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

def has_python_module(name):
    import subprocess
    return subprocess.call(["/usr/bin/python3", "-c", "import " + name],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0

if has_python_module("torch") and has_python_module("torchvision"):
    config.available_features.add("torch")
if has_python_module("numpy"):
    config.available_features.add("numpy")
# The ONNX backend test data (Debian's libonnx-testdata) for the conformance
# run; its runner reads the models with python3-onnx.
if os.path.isdir("/usr/share/libonnx-testdata/data/node") and \
        has_python_module("onnx"):
    config.available_features.add("onnx-backend-data")
# Large-model end-to-end tests (ResNet-18, MobileNetV2, transformer) take a
# few minutes; KILN_SKIP_LARGE=1 skips them.
if not os.environ.get("KILN_SKIP_LARGE"):
    config.available_features.add("large")
