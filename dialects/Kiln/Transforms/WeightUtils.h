//===- WeightUtils.h - reading and writing constant weights -----*- C++ -*-===//
//
// Graph passes that rewrite weights at compile time (batch-norm folding,
// weight packing) read constants whether they are inline or dense_resource
// blobs, and write large results back as blobs.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_WEIGHTUTILS_H
#define KILN_TRANSFORMS_WEIGHTUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include <optional>

namespace mlir {
class OpBuilder;
namespace kiln {

/// The values of `v` if it is an f32 constant (inline or dense_resource).
std::optional<SmallVector<float>> getConstantF32(Value v);

/// `values` as an attribute of `type` for a constant inside `scope`'s
/// function. Large ones become dense_resource blobs named `<function>_<what>`:
/// function passes run on several functions at once and the blob manager
/// uniquifies a taken name with a counter, so a name without the function's
/// would depend on which thread got there first.
ElementsAttr createF32Attr(Operation *scope, RankedTensorType type,
                           ArrayRef<float> values, StringRef what);

/// A kiln.constant of `type` holding `values` at the builder's insertion
/// point; large ones become dense_resource blobs (see createF32Attr).
Value createF32Constant(OpBuilder &builder, Location loc, RankedTensorType type,
                        ArrayRef<float> values, StringRef what);

} // namespace kiln
} // namespace mlir

#endif // KILN_TRANSFORMS_WEIGHTUTILS_H
