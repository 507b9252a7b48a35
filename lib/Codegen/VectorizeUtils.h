//===- VectorizeUtils.h - Shared CPU vectorization helpers ------*- C++ -*-===//
//
// Helpers the CPU strategies share: vector extents and the row-wise
// vectorization of memory-bound linalg ops.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_VECTORIZEUTILS_H
#define KILN_LIB_CODEGEN_VECTORIZEUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::kiln {

/// Largest power of two <= target that divides `dim`: the extent of a
/// vector dimension. LLVM legalizes other widths (48, 24) element by
/// element.
int64_t pow2Tile(int64_t dim, int64_t target);

/// Vectorizes a static linalg op whose innermost loop is contiguous in
/// every operand (elementwise ops, fills, broadcasts; reductions over that
/// loop, such as a softmax's row max and sum): tiled to one run along it per
/// iteration -- up to 64 elements of a parallel loop, or a whole reduced
/// row of up to 1024 -- always a power of two of at least 4 lanes.
/// Inputs that are also the destination keep reading the loop's carried
/// value (an in-place epilogue). Fails, leaving `op` alone, otherwise.
LogicalResult vectorizeRows(RewriterBase &rewriter, linalg::LinalgOp op);

/// Unrolls the vector ops in `root` whose vectors run a width that is not a
/// power of two (a 48-channel register tile, 3 x 16) into pieces of the
/// largest power of two that divides it, at most `lanes`: LLVM widens such
/// vectors to the next power of two (48 to 64, a wasted register per row
/// and shuffles to fill it). Contractions split along their result's
/// innermost dimension, transfers and elementwise ops along their
/// innermost.
/// Widths that are not a whole number of registers (24 = 16 + 8) split at
/// register boundaries instead, in contractions and transfers.
LogicalResult unrollToPow2Widths(Operation *root, int64_t lanes);

/// The vectors a row of `width` floats takes after unrollToPow2Widths.
int64_t vectorPieces(int64_t width, int64_t lanes);

} // namespace mlir::kiln

#endif // KILN_LIB_CODEGEN_VECTORIZEUTILS_H
