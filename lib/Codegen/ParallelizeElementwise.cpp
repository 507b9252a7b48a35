//===- ParallelizeElementwise.cpp - threads for the memory-bound ops ------===//
//
// After elementwise fusion, what is left at the top level of a function is
// memory-bound: fused elementwise chains (bias, activation, residual add),
// fills, transposes, pooling and normalization loops. Each one large enough
// to pay for a dispatch is tiled by 1 along its first parallel dimension of
// more than one iteration, as an scf.forall, which the thread pool later
// runs in chunks. Ops whose innermost loop is contiguous (elementwise ops,
// row reductions such as a softmax's max and sum) are then vectorized row
// by row, and exp/tanh become polynomials that work on vectors, instead
// of one libm call per element.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "VectorizeUtils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_PARALLELIZEELEMENTWISEPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

struct ParallelizeElementwisePass
    : kiln::impl::ParallelizeElementwisePassBase<ParallelizeElementwisePass> {
  using ParallelizeElementwisePassBase::ParallelizeElementwisePassBase;

  /// Tiles `op` by `sizes` (0: untiled), as an scf.forall or scf.for
  /// loops; returns the tile.
  std::optional<linalg::LinalgOp> tileBy(IRRewriter &rewriter,
                                         linalg::LinalgOp op,
                                         ArrayRef<int64_t> sizes, bool forall) {
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    if (forall)
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> r = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(r))
      return std::nullopt;
    rewriter.replaceOp(op, r->replacements);
    return cast<linalg::LinalgOp>(r->tiledOps.front());
  }

  /// Whether `ranges` hold enough iterations to pay for a dispatch.
  bool worthThreads(ArrayRef<int64_t> ranges) const {
    int64_t work = 1;
    for (int64_t r : ranges)
      work *= r;
    return work >= minElements;
  }

  /// Tiles `op` by 1 along its first parallel dimension of more than one
  /// iteration, as an scf.forall, when it has at least `minElements`
  /// iterations; returns the tile.
  std::optional<linalg::LinalgOp> splitOverThreads(IRRewriter &rewriter,
                                                   linalg::LinalgOp op,
                                                   ArrayRef<int64_t> ranges) {
    if (!worthThreads(ranges))
      return std::nullopt;
    SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
    std::optional<unsigned> dim;
    for (auto [i, it] : llvm::enumerate(iters))
      if (it == utils::IteratorType::parallel && ranges[i] > 1) {
        dim = i;
        break;
      }
    if (!dim)
      return std::nullopt;
    SmallVector<int64_t> sizes(ranges.size(), 0);
    sizes[*dim] = 1;
    return tileBy(rewriter, op, sizes, /*forall=*/true);
  }

  /// Tiles a transpose (one input, whose innermost loop `in` is not the
  /// output's `out`) into square blocks of those two loops, threads taking
  /// another loop (or blocks of `out` when there is none): each block reads
  /// and writes `kBlock` cache lines. Threads split by 1 along the output's
  /// channels read the whole input once per channel: an NHWC->NCHW
  /// transpose of 112x112x64 took 4.3 ms, 64 passes over 3 MiB.
  bool blockTranspose(IRRewriter &rewriter, linalg::LinalgOp op,
                      ArrayRef<int64_t> ranges) {
    constexpr int64_t kBlock = 16, kMinVectorBlock = 8;
    if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() != 0 || ranges.size() < 2)
      return false;
    AffineMap inMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    if (!inMap.isPermutation() || !outMap.isPermutation())
      return false;
    unsigned in = cast<AffineDimExpr>(inMap.getResults().back()).getPosition();
    unsigned out =
        cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
    if (in == out)
      return false;
    if (worthThreads(ranges)) {
      // Another loop of more than one iteration, else blocks of `out`.
      SmallVector<int64_t> sizes(ranges.size(), 0);
      sizes[out] = kBlock;
      for (unsigned d = 0; d < ranges.size(); ++d)
        if (d != in && d != out && ranges[d] > 1) {
          sizes[out] = 0;
          sizes[d] = 1;
          break;
        }
      std::optional<linalg::LinalgOp> tile =
          tileBy(rewriter, op, sizes, /*forall=*/true);
      if (!tile)
        return false;
      op = *tile;
    }
    SmallVector<int64_t> blocks(ranges.size(), 1);
    // Blocks divide the loops where they are static (112 by 16, 56 by 14),
    // so that every block has a static shape to vectorize.
    SmallVector<int64_t> opRanges = op.getStaticLoopRanges();
    for (unsigned d : {in, out}) {
      int64_t b = kBlock;
      if (!ShapedType::isDynamic(opRanges[d]))
        for (b = std::min(kBlock, opRanges[d]); opRanges[d] % b;)
          --b;
      blocks[d] = b;
    }
    std::optional<linalg::LinalgOp> block =
        tileBy(rewriter, op, blocks, /*forall=*/false);
    if (!block)
      return false;
    // Blocks of at least 8 x 8 become vector transposes (shuffles): an
    // NHWC -> NCHW transpose of 112x112x64 took 0.37-0.40 ms instead of
    // 0.65-0.69 as scalar loops. Narrower ones (an image's 3 channels) stay
    // scalar, which measured no slower.
    if (blocks[in] < kMinVectorBlock || blocks[out] < kMinVectorBlock)
      return true;
    rewriter.setInsertionPoint(*block);
    FailureOr<linalg::VectorizationResult> v =
        linalg::vectorize(rewriter, *block);
    if (succeeded(v))
      rewriter.replaceOp(*block, v->replacements);
    return true;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<linalg::LinalgOp> targets;
    for (Block &block : func.getBody())
      for (Operation &op : block)
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
          if (linalgOp.hasPureTensorSemantics() &&
              !linalg::isaContractionOpInterface(linalgOp))
            targets.push_back(linalgOp);
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : targets) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (llvm::any_of(ranges, ShapedType::isDynamic))
        continue;
      if (blockTranspose(rewriter, op, ranges))
        continue;
      // Large ops are split over threads first; every op (or thread tile)
      // is then vectorized row by row.
      if (std::optional<linalg::LinalgOp> tile =
              splitOverThreads(rewriter, op, ranges))
        op = *tile;
      (void)kiln::vectorizeRows(rewriter, op);
    }
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ExpOp::getOperationName() ||
             name == math::TanhOp::getOperationName();
    });
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
