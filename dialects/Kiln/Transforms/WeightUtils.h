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

/// `values` as an attribute of `type`; large ones become dense_resource
/// blobs named after `name`.
ElementsAttr createF32Attr(RankedTensorType type, ArrayRef<float> values,
                           StringRef name);

/// A kiln.constant of `type` holding `values`; large ones become
/// dense_resource blobs named after `name`.
Value createF32Constant(OpBuilder &builder, Location loc, RankedTensorType type,
                        ArrayRef<float> values, StringRef name);

} // namespace kiln
} // namespace mlir

#endif // KILN_TRANSFORMS_WEIGHTUTILS_H
