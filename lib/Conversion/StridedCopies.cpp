//===- StridedCopies.cpp - strided memref.copy -> linalg.copy -------------===//

#include "kiln/Conversion/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_CONVERTSTRIDEDCOPIESPASS
#include "kiln/Conversion/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {
struct StridedCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto src = cast<MemRefType>(op.getSource().getType());
    auto dst = cast<MemRefType>(op.getTarget().getType());
    if (src.getLayout().isIdentity() && dst.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous copy (memcpy)");
    // Large copies (a conv's output into its padded buffer) run on threads:
    // one scf.forall iteration per index of the outermost dimension.
    if (src.hasStaticShape() && src.getRank() >= 2 &&
        src.getNumElements() >= kParallelCopyElements &&
        src.getDimSize(0) > 1 &&
        op->getParentOfType<scf::ForallOp>() == nullptr) {
      Location loc = op.getLoc();
      auto forall = scf::ForallOp::create(
          rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(src.getDimSize(0))},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)}, ValueRange{},
          std::nullopt);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(forall.getBody());
      Value i = forall.getInductionVars()[0];
      auto row = [&](Value buffer) -> Value {
        auto type = cast<MemRefType>(buffer.getType());
        SmallVector<OpFoldResult> offsets(type.getRank(),
                                          rewriter.getIndexAttr(0)),
            sizes, strides(type.getRank(), rewriter.getIndexAttr(1));
        offsets[0] = i;
        sizes.push_back(rewriter.getIndexAttr(1));
        for (int64_t d = 1; d < type.getRank(); ++d)
          sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        return memref::SubViewOp::create(rewriter, loc, buffer, offsets, sizes,
                                         strides);
      };
      linalg::CopyOp::create(rewriter, loc, row(op.getSource()),
                             row(op.getTarget()));
      rewriter.eraseOp(op);
      return success();
    }
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
  /// Smallest copy worth a parallel dispatch (as kiln-parallelize-elementwise).
  static constexpr int64_t kParallelCopyElements = 32768;
};

struct ConvertStridedCopiesPass
    : kiln::impl::ConvertStridedCopiesPassBase<ConvertStridedCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    kiln::populateStridedCopyPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::kiln::populateStridedCopyPatterns(RewritePatternSet &patterns) {
  patterns.add<StridedCopyToLinalg>(patterns.getContext());
}
