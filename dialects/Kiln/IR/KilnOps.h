//===- KilnOps.h - kiln dialect ops -----------------------------*- C++ -*-===//

#ifndef KILN_IR_KILNOPS_H
#define KILN_IR_KILNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "Kiln/IR/KilnDialect.h.inc"

#define GET_OP_CLASSES
#include "Kiln/IR/KilnOps.h.inc"

namespace mlir::kiln {
/// Numpy broadcast of two shapes; failure if incompatible.
LogicalResult broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                              SmallVectorImpl<int64_t> &result);
} // namespace mlir::kiln

#endif // KILN_IR_KILNOPS_H
