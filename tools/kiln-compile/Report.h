//===- Report.h - kiln-compile --report --------------------------*- C++
//-*-===//
//
// The compile report: the kernels of the fusion phase (the ONNX nodes each
// fuses, its layout, FLOPs and the codegen's tile decisions) and the memory
// plan (arena and weights sizes).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILE_REPORT_H
#define KILN_COMPILE_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::kiln {

struct KernelReport {
  std::string name, anchor, layout, tiles;
  llvm::SmallVector<std::string> fuses;
  int64_t flops = 0;
};

struct CompileReport {
  std::string model, target;
  llvm::SmallVector<KernelReport> kernels;
  uint64_t weightsBytes = 0, arenaBytes = 0, unsharedBytes = 0;
  int64_t arenaBuffers = 0;
  bool planned = false; // the codegen phase ran (tiles, memory plan)
};

/// Reads the kiln.fusion kernels of `module` (after the fusion phase).
void collectKernels(ModuleOp module, CompileReport &report);
/// Reads tile decisions and the memory plan (after the codegen phase).
void collectCodegen(ModuleOp module, CompileReport &report);
void printReport(const CompileReport &report, llvm::raw_ostream &os);

} // namespace mlir::kiln

#endif // KILN_COMPILE_REPORT_H
