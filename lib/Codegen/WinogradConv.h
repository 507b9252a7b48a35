//===- WinogradConv.h - Winograd F(4x4, 3x3) convolutions -------*- C++ -*-===//
//
// 3x3 stride-1 NHWC convolutions with constant filters as Winograd
// F(4x4, 3x3): 2.25x fewer multiplies per output than the direct form, as a
// batched matmul between per-tile input and filter transforms.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CODEGEN_WINOGRADCONV_H
#define KILN_LIB_CODEGEN_WINOGRADCONV_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::kiln {

/// For a conv that takes Winograd on a tile grid larger than its output,
/// grows the zero pad that makes its input (when only the conv uses it) to
/// cover the grid's windows, before the pad's producer is tiled to write
/// into it; winogradConv2D would otherwise pad a copy.
void padWinogradInput(RewriterBase &rewriter, linalg::Conv2DNhwcHwcfOp conv);

/// Replaces `conv` by Winograd F(4x4, 3x3) if it is batch 1 with a constant
/// 3x3 filter, unit strides and dilations, and channels and filters
/// multiples of 16 (whole vectors); output sides that are not multiples of 4
/// need a bias-only initial value (the tiles past the edge write a larger
/// tensor, sliced), and with fewer than 16 tiles the transformed filter
/// must stay under 1 MiB. Fails, leaving the conv alone, otherwise. The filter
/// transform U = G g G^T is folded at compile time into a [36, C, F] constant;
/// an scf.forall over the 4x4 output tiles computes the input transform V = B^T
/// d B of each tile's 6x6 window into [36, T, C] (T tiles, padded for whole
/// register tiles); a linalg.batch_matmul gives M = V U, [36, T, F]; and an
/// scf.forall over the tiles adds A^T M A into the conv's initial value (its
/// bias). The transforms are written as vector ops on 16 channels at a time.
/// Returns the output transform's loop (one iteration per tile), whose result
/// (or, on a larger grid, a slice of it) replaces the conv's.
FailureOr<scf::ForallOp> winogradConv2D(RewriterBase &rewriter,
                                        linalg::Conv2DNhwcHwcfOp conv);

} // namespace mlir::kiln

#endif // KILN_LIB_CODEGEN_WINOGRADCONV_H
