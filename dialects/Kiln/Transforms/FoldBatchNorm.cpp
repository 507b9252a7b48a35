//===- FoldBatchNorm.cpp - fold batch norms into conv/gemm weights --------===//

#include "Kiln/Transforms/Passes.h"
#include "Kiln/Transforms/WeightUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "Kiln/Transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// Per-channel scale s = gamma / sqrt(var + eps) and shift beta - mean * s.
struct BNParams {
  SmallVector<float> scale, shift, mean;
};

std::optional<BNParams> getParams(BatchNormOp bn) {
  auto gamma = getConstantF32(bn.getScale()),
       beta = getConstantF32(bn.getBias()), mean = getConstantF32(bn.getMean()),
       var = getConstantF32(bn.getVariance());
  if (!gamma || !beta || !mean || !var)
    return std::nullopt;
  double eps = bn.getEpsilon().convertToDouble();
  BNParams p;
  for (size_t c = 0; c < gamma->size(); ++c) {
    float s = (*gamma)[c] / std::sqrt((*var)[c] + eps);
    p.scale.push_back(s);
    p.shift.push_back((*beta)[c] - (*mean)[c] * s);
  }
  p.mean = *mean;
  return p;
}

struct FoldIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (conv && conv.getChannelsLast())
      return rewriter.notifyMatchFailure(bn, "batch norm is over NCHW");
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use conv");
    auto w = getConstantF32(conv.getFilter());
    std::optional<SmallVector<float>> bias;
    if (conv.getBias() && !(bias = getConstantF32(conv.getBias())))
      return rewriter.notifyMatchFailure(bn, "conv bias is not constant");
    auto p = getParams(bn);
    if (!w || !p)
      return rewriter.notifyMatchFailure(bn, "non-constant parameters");
    RankedTensorType wType = conv.getFilter().getType();
    int64_t f = wType.getDimSize(0), per = wType.getNumElements() / f;
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < per; ++i)
        (*w)[o * per + i] *= p->scale[o];
    SmallVector<float> b(f);
    for (int64_t o = 0; o < f; ++o)
      b[o] = (bias ? (*bias)[o] : 0.0f) * p->scale[o] + p->shift[o];
    Location loc = bn.getLoc();
    Value newW = createF32Constant(rewriter, loc, wType, *w, "folded_weight");
    Value newB = createF32Constant(
        rewriter, loc, RankedTensorType::get({f}, wType.getElementType()), b,
        "folded_bias");
    rewriter.replaceOpWithNewOp<ConvOp>(
        bn, bn.getType(), conv.getInput(), newW, newB, conv.getStridesAttr(),
        conv.getDilationsAttr(), conv.getPadsAttr(), conv.getGroupAttr());
    rewriter.eraseOp(conv);
    return success();
  }
};

struct FoldIntoGemm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto gemm = bn.getInput().getDefiningOp<GemmOp>();
    if (!gemm || !gemm->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use gemm");
    auto w = getConstantF32(gemm.getB());
    std::optional<SmallVector<float>> c;
    int64_t n = gemm.getType().getDimSize(1);
    if (gemm.getC()) {
      auto ct = gemm.getC().getType();
      if (ct.getNumElements() != n ||
          (ct.getRank() > 0 && ct.getShape().back() != n))
        return rewriter.notifyMatchFailure(bn, "C is not a per-column bias");
      if (!(c = getConstantF32(gemm.getC())))
        return rewriter.notifyMatchFailure(bn, "C is not constant");
    }
    auto p = getParams(bn);
    if (!w || !p)
      return rewriter.notifyMatchFailure(bn, "non-constant parameters");
    RankedTensorType bType = gemm.getB().getType();
    int64_t rows = bType.getDimSize(0), cols = bType.getDimSize(1);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t col = 0; col < cols; ++col)
        (*w)[r * cols + col] *= p->scale[gemm.getTransB() ? r : col];
    double beta = gemm.getBeta().convertToDouble();
    SmallVector<float> newC(n);
    for (int64_t o = 0; o < n; ++o)
      newC[o] = (c ? beta * (*c)[o] : 0.0f) * p->scale[o] + p->shift[o];
    Location loc = bn.getLoc();
    Value newB = createF32Constant(rewriter, loc, bType, *w, "folded_weight");
    Value cV = createF32Constant(
        rewriter, loc, RankedTensorType::get({n}, bType.getElementType()), newC,
        "folded_bias");
    rewriter.replaceOpWithNewOp<GemmOp>(
        bn, bn.getType(), gemm.getA(), newB, cV, gemm.getAlphaAttr(),
        rewriter.getF64FloatAttr(1.0), gemm.getTransAAttr(),
        gemm.getTransBAttr());
    rewriter.eraseOp(gemm);
    return success();
  }
};

struct FoldBatchNormPass
    : kiln::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::kiln::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldIntoConv, FoldIntoGemm>(patterns.getContext());
}
