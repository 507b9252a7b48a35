//===- PackWeights.cpp - lay out constant weights for the kernels ---------===//
//
// The layout phase's weight rewrites, done once at compile time so nothing
// is re-laid-out at run time. A gemm with a transposed constant B (PyTorch's
// Linear exports B as [N, K]) gets B stored as [K, N]: the CPU strategy then
// reads whole vectors along N instead of gathering columns.
//
//===----------------------------------------------------------------------===//

#include "Kiln/Transforms/Passes.h"
#include "Kiln/Transforms/WeightUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "Kiln/Transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

struct PretransposeGemmB : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getTransB())
      return rewriter.notifyMatchFailure(op, "B is not transposed");
    std::optional<SmallVector<float>> b = getConstantF32(op.getB());
    if (!b)
      return rewriter.notifyMatchFailure(op, "B is not an f32 constant");
    RankedTensorType type = op.getB().getType();
    int64_t n = type.getDimSize(0), k = type.getDimSize(1);
    SmallVector<float> t(b->size());
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < k; ++j)
        t[j * n + i] = (*b)[i * k + j];
    Value packed =
        createF32Constant(rewriter, op.getB().getLoc(),
                          RankedTensorType::get({k, n}, type.getElementType()),
                          t, "packed_weight");
    rewriter.modifyOpInPlace(op, [&] {
      op.getBMutable().assign(packed);
      op.setTransB(false);
    });
    return success();
  }
};

struct PackWeightsPass : kiln::impl::PackWeightsPassBase<PackWeightsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePackWeightsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::kiln::populatePackWeightsPatterns(RewritePatternSet &patterns) {
  patterns.add<PretransposeGemmB>(patterns.getContext());
}
