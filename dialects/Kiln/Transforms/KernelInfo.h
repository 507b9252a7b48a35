//===- KernelInfo.h - roles, names and costs of kiln ops --------*- C++ -*-===//
//
// What the fusion phase and the compile report need to know about an op:
// the role it plays in a kernel, the ONNX node names it carries and an
// estimate of its arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_KERNELINFO_H
#define KILN_TRANSFORMS_KERNELINFO_H

#include "Kiln/IR/KilnOps.h"

namespace mlir::kiln {

enum class KernelRole {
  /// Decides the kernel's loops: contractions, reductions, norms, pooling.
  Anchor,
  /// Fuses into whatever produces or consumes it (numpy broadcasting).
  Elementwise,
  /// Fuses into the anchor that reads it (pad into conv, transpose into
  /// matmul), otherwise a kernel of its own.
  Producer,
  /// No kernel: constants and reshapes (views).
  Free,
  /// A kernel of its own that fuses nothing (data movement, sorting).
  Standalone,
};

KernelRole getKernelRole(Operation *op);

/// Whether `producer` may be fused into `anchor` as one of its inputs.
bool isFusableProducer(Operation *producer, Operation *anchor);

/// ONNX node names carried by `loc` (NameLocs, through fused and call-site
/// locations), in order, without duplicates.
void collectNodeNames(Location loc, SmallVectorImpl<std::string> &names);

/// The first ONNX node name carried by `loc`, if any.
std::optional<std::string> firstNodeName(Location loc);

/// Floating-point (or integer) operations one run of `op` performs, counting
/// a multiply-add as two; elementwise ops count one per output element.
int64_t estimateFlops(Operation *op);

} // namespace mlir::kiln

#endif // KILN_TRANSFORMS_KERNELINFO_H
