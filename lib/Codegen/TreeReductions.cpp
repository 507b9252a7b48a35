//===- TreeReductions.cpp - row vector reductions as trees ----------------===//
//
// LLVM expands llvm.vector.reduce.fmaximum and friends (no x86 instruction
// keeps their NaN and signed-zero rules), and float sums without
// reassociation, into an ordered chain of scalar steps. The reduction can
// combine halves instead: log2(N) vector steps, the first ones on whole
// registers. Runs before lower-vector-multi-reduction, which would turn a
// row's multi-reduction into one dependent elementwise step per element.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_TREEREDUCTIONSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// Max and min give the same result in any order; a sum as a tree is
/// pairwise summation, whose rounding error grows with log N rather than N
/// (what vectorized libraries compute, and closer to the exact sum).
bool isTreeKind(vector::CombiningKind kind) {
  return kind == vector::CombiningKind::MAXIMUMF ||
         kind == vector::CombiningKind::MINIMUMF ||
         kind == vector::CombiningKind::MAXNUMF ||
         kind == vector::CombiningKind::MINNUMF ||
         kind == vector::CombiningKind::ADD;
}

/// A multi-reduction of a row (every kept dimension of size 1, as a
/// vectorized softmax or norm leaves them) as a 1-D vector.reduction, which
/// TreeReduction then splits; lower-vector-multi-reduction would chain one
/// elementwise step per element instead.
struct RowMultiReduction : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getSourceVectorType();
    if (!isTreeKind(op.getKind()) || type.isScalable() ||
        isa<vector::MaskOp>(op->getParentOp()))
      return failure();
    for (auto [size, reduced] :
         llvm::zip_equal(type.getShape(), op.getReductionMask()))
      if (!reduced && size != 1)
        return failure();
    Location loc = op.getLoc();
    Type element = type.getElementType();
    Value row = vector::ShapeCastOp::create(
        rewriter, loc, VectorType::get({type.getNumElements()}, element),
        op.getSource());
    Value acc = op.getAcc();
    if (isa<VectorType>(acc.getType()))
      acc = vector::ExtractOp::create(
          rewriter, loc,
          vector::ShapeCastOp::create(rewriter, loc,
                                      VectorType::get({1}, element), acc),
          ArrayRef<int64_t>{0});
    Value result =
        vector::ReductionOp::create(rewriter, loc, op.getKind(), row, acc);
    if (auto resultType = dyn_cast<VectorType>(op.getType()))
      result = vector::BroadcastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TreeReduction : OpRewritePattern<vector::ReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ReductionOp op,
                                PatternRewriter &rewriter) const override {
    vector::CombiningKind kind = op.getKind();
    VectorType type = op.getSourceVectorType();
    int64_t n = type.getNumElements();
    if (!isTreeKind(kind) || type.getRank() != 1 || type.isScalable() ||
        n < 2 || !llvm::isPowerOf2_64(n) ||
        isa<vector::MaskOp>(op->getParentOp()))
      return failure();
    Location loc = op.getLoc();
    Value v = op.getVector();
    for (int64_t half = n / 2; half >= 1; half /= 2) {
      auto halves = [&](int64_t offset) -> Value {
        return vector::ExtractStridedSliceOp::create(
            rewriter, loc, v, ArrayRef<int64_t>{offset},
            ArrayRef<int64_t>{half}, ArrayRef<int64_t>{1});
      };
      Value lo = halves(0);
      Value hi = halves(half);
      v = vector::makeArithReduction(rewriter, loc, kind, lo, hi);
    }
    Value result =
        vector::ExtractOp::create(rewriter, loc, v, ArrayRef<int64_t>{0});
    if (Value acc = op.getAcc())
      result = vector::makeArithReduction(rewriter, loc, kind, acc, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TreeReductionsPass
    : kiln::impl::TreeReductionsPassBase<TreeReductionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RowMultiReduction, TreeReduction>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
