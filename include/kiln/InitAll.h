//===- InitAll.h - register everything kiln provides ------------*- C++ -*-===//
//
// One place that registers kiln's dialect, passes and pipelines; used by
// kiln-opt, kiln-compile, the mlir-opt plugin and the unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALL_H
#define KILN_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::kiln {

void registerKilnDialects(DialectRegistry &registry);
/// Kiln's passes and phase pipelines.
void registerKilnPasses();

} // namespace mlir::kiln

#endif // KILN_INITALL_H
