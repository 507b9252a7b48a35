//===- ChannelsLast.cpp - NHWC convolutions, transposes sunk and cancelled ===//
//
// The layout phase for activations. Every 2-D convolution with a constant
// filter (group 1 or depthwise) becomes a channels_last convolution between
// two transposes, with its filter stored HWCF at compile time:
//
//   conv(x, W) -> transpose(conv_nhwc(transpose(x, NCHW->NHWC), W'),
//                           NHWC->NCHW)
//
// The NHWC->NCHW transposes are then sunk through the ops that do not care
// about the layout (elementwise ops, max pooling, keepdims reductions) until
// they meet the NCHW->NHWC transpose of the next convolution, with which
// they cancel. What remains are the model's own layout changes at the edges
// (its NCHW input and the flatten before the classifier).
//
//===----------------------------------------------------------------------===//

#include "Kiln/Transforms/KernelInfo.h"
#include "Kiln/Transforms/Passes.h"
#include "Kiln/Transforms/WeightUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_CHANNELSLASTPASS
#include "Kiln/Transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

RankedTensorType permuted(RankedTensorType t, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(t.getDimSize(p));
  return t.clone(shape);
}

SmallVector<int64_t> inverse(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> inv(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inv[p] = i;
  return inv;
}

Value transpose(PatternRewriter &rewriter, Location loc, Value v,
                ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  return TransposeOp::create(rewriter, loc, permuted(type, perm), v,
                             rewriter.getDenseI64ArrayAttr(perm));
}

/// `loc` renamed "NAME/suffix" after its ONNX node, so the layout changes
/// show up as such in reports and profiles.
Location suffixed(Location loc, StringRef suffix) {
  std::optional<std::string> name = firstNodeName(loc);
  if (!name)
    return loc;
  return NameLoc::get(StringAttr::get(loc->getContext(), *name + "/" + suffix),
                      loc);
}

struct ConvToChannelsLast : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType in = op.getInput().getType(), w = op.getFilter().getType();
    if (op.getChannelsLast() || in.getRank() != 4 || !w.hasStaticShape() ||
        !in.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not a 2-D f32 NCHW conv");
    int64_t c = in.getDimSize(1), f = w.getDimSize(0), g = op.getGroup();
    if (g != 1 && !(g == c && f == c))
      return rewriter.notifyMatchFailure(op, "grouped, not depthwise");
    std::optional<SmallVector<float>> values = getConstantF32(op.getFilter());
    if (!values)
      return rewriter.notifyMatchFailure(op, "filter is not a constant");
    // FCHW [F, C/g, KH, KW] -> HWCF [KH, KW, C/g, F].
    int64_t cg = w.getDimSize(1), kh = w.getDimSize(2), kw = w.getDimSize(3);
    SmallVector<float> hwcf(values->size());
    for (int64_t fi = 0; fi < f; ++fi)
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x)
            hwcf[((y * kw + x) * cg + ci) * f + fi] =
                (*values)[((fi * cg + ci) * kh + y) * kw + x];
    Location loc = op.getLoc();
    Value filter =
        createF32Constant(rewriter, op.getFilter().getLoc(),
                          permuted(w, {2, 3, 1, 0}), hwcf, "hwcf_filter");
    Value x =
        transpose(rewriter, suffixed(loc, "to_nhwc"), op.getInput(), kToNHWC);
    auto conv = ConvOp::create(rewriter, loc, permuted(op.getType(), kToNHWC),
                               x, filter, op.getBias(), op.getStridesAttr(),
                               op.getDilationsAttr(), op.getPadsAttr(),
                               op.getGroupAttr(), rewriter.getBoolAttr(true));
    rewriter.replaceOp(
        op, transpose(rewriter, suffixed(loc, "to_nchw"), conv, kToNCHW));
    return success();
  }
};

/// The transpose feeding operand `i` of `op`, if it has no other user.
TransposeOp soleTranspose(Operation *op, unsigned i) {
  auto t = op->getOperand(i).getDefiningOp<TransposeOp>();
  return t && t->hasOneUse() ? t : nullptr;
}

/// unary(transpose(x, p)) -> transpose(unary(x), p) for elementwise ops of
/// one tensor operand.
struct SinkThroughUnary : RewritePattern {
  SinkThroughUnary(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<KilnDialect>(op->getDialect()) ||
        !op->hasTrait<OpTrait::Elementwise>() || op->getNumOperands() != 1 ||
        op->getNumResults() != 1)
      return failure();
    TransposeOp t = soleTranspose(op, 0);
    if (!t)
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Operation *moved = rewriter.clone(*op);
    rewriter.modifyOpInPlace(moved, [&] {
      moved->setOperand(0, t.getInput());
      moved->getResult(0).setType(permuted(resultType, inverse(t.getPerm())));
    });
    rewriter.replaceOp(
        op, transpose(rewriter, t.getLoc(), moved->getResult(0), t.getPerm()));
    return success();
  }
};

/// binary(transpose(a, p), transpose(b, p)) -> transpose(binary(a, b), p),
/// and the same with a one-element operand (which broadcasts alike in any
/// layout).
template <typename OpTy> struct SinkThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    TransposeOp lt = soleTranspose(op, 0), rt = soleTranspose(op, 1);
    auto isScalar = [&](Value v) {
      auto t = cast<RankedTensorType>(v.getType());
      return t.hasStaticShape() && t.getNumElements() == 1 &&
             t.getRank() <= type.getRank();
    };
    ArrayRef<int64_t> perm;
    Value lhs, rhs;
    if (lt && rt && lt.getPerm() == rt.getPerm() &&
        lt.getType() == rt.getType() && lt.getType() == type) {
      perm = lt.getPerm();
      lhs = lt.getInput();
      rhs = rt.getInput();
    } else if (lt && lt.getType() == type && isScalar(op.getRhs())) {
      perm = lt.getPerm();
      lhs = lt.getInput();
      rhs = op.getRhs();
    } else if (rt && rt.getType() == type && isScalar(op.getLhs())) {
      perm = rt.getPerm();
      lhs = op.getLhs();
      rhs = rt.getInput();
    } else {
      return rewriter.notifyMatchFailure(op, "no shared transpose");
    }
    Location tLoc = (lt ? lt : rt).getLoc();
    auto moved = OpTy::create(rewriter, op.getLoc(),
                              permuted(type, inverse(perm)), lhs, rhs);
    rewriter.replaceOp(op, transpose(rewriter, tLoc, moved, perm));
    return success();
  }
};

/// reduce(transpose(x, p), axes, keepdims) ->
/// transpose(reduce(x, p[axes], keepdims), p).
template <typename OpTy> struct SinkThroughReduce : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    TransposeOp t = soleTranspose(op, 0);
    if (!t || !op.getKeepdims() || op.getAxes().empty())
      return rewriter.notifyMatchFailure(op, "no transposed keepdims input");
    SmallVector<int64_t> axes;
    for (int64_t a : op.getAxes())
      axes.push_back(t.getPerm()[a]);
    llvm::sort(axes);
    auto moved =
        OpTy::create(rewriter, op.getLoc(),
                     permuted(op.getType(), inverse(t.getPerm())), t.getInput(),
                     rewriter.getDenseI64ArrayAttr(axes), op.getKeepdimsAttr());
    rewriter.replaceOp(op, transpose(rewriter, t.getLoc(), moved, t.getPerm()));
    return success();
  }
};

/// pool(transpose(x, NHWC->NCHW)) -> transpose(pool_nhwc(x), NHWC->NCHW).
template <typename OpTy> struct SinkThroughPool : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    TransposeOp t = soleTranspose(op, 0);
    if (op.getChannelsLast() || !t || !llvm::equal(t.getPerm(), kToNCHW))
      return rewriter.notifyMatchFailure(op, "input is not NHWC->NCHW");
    auto moved = cast<OpTy>(rewriter.clone(*op));
    rewriter.modifyOpInPlace(moved, [&] {
      moved->setOperand(0, t.getInput());
      moved.setChannelsLast(true);
      moved.getResult().setType(permuted(op.getType(), kToNHWC));
    });
    rewriter.replaceOp(op, transpose(rewriter, t.getLoc(), moved, kToNCHW));
    return success();
  }
};

struct ChannelsLastPass : kiln::impl::ChannelsLastPassBase<ChannelsLastPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateChannelsLastPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::kiln::populateChannelsLastPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  TransposeOp::getCanonicalizationPatterns(patterns, ctx);
  patterns.add<ConvToChannelsLast, SinkThroughUnary, SinkThroughBinary<AddOp>,
               SinkThroughBinary<SubOp>, SinkThroughBinary<MulOp>,
               SinkThroughBinary<DivOp>, SinkThroughBinary<MaxOp>,
               SinkThroughBinary<MinOp>, SinkThroughReduce<ReduceMeanOp>,
               SinkThroughReduce<ReduceSumOp>, SinkThroughReduce<ReduceMaxOp>,
               SinkThroughReduce<ReduceMinOp>, SinkThroughPool<MaxPoolOp>,
               SinkThroughPool<AvgPoolOp>>(ctx);
}
