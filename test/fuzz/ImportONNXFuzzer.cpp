//===- ImportONNXFuzzer.cpp - libFuzzer target for the ONNX importer ------===//
//
// Feeds arbitrary bytes (binary protobuf or ONNX text) to importONNXBuffer and
// verifies whatever module comes back. Import errors are expected and
// swallowed; only crashes, hangs, sanitizer reports and verifier failures
// after a successful import are findings. Built with -DKILN_BUILD_FUZZERS=ON
// (clang only); see scripts/fuzz.sh.
//
//===----------------------------------------------------------------------===//

#include "Kiln/IR/KilnOps.h"
#include "kiln/Frontend/ONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdlib>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: the importer interns initializers as
  // dense_resource blobs owned by the context, which would otherwise pile up
  // across runs (and make findings depend on earlier inputs).
  DialectRegistry registry;
  registry.insert<kiln::KilnDialect, func::FuncDialect>();
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();
  bool verifying = false;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    // The importer promises a valid module whenever it returns one (and
    // verifies it itself, reporting an internal error), so an invalid module
    // is a bug.
    if (verifying ||
        StringRef(diag.str()).contains("importer produced an invalid module")) {
      llvm::errs() << "verifier failed on an imported module: " << diag.str()
                   << "\n";
      std::abort();
    }
    return success();
  });
  StringRef buffer(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      kiln::importONNXBuffer(buffer, "fuzz-input", &ctx);
  if (module) {
    verifying = true;
    (void)verify(*module);
  }
  return 0;
}
