//===- VectorizeUtils.cpp - Shared CPU vectorization helpers --------------===//

#include "VectorizeUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

int64_t kiln::pow2Tile(int64_t dim, int64_t target) {
  int64_t t = 1;
  while (t * 2 <= std::min(dim, target))
    t *= 2;
  for (; t > 1; t /= 2)
    if (dim % t == 0)
      return t;
  return 1;
}

/// Whether every operand reads the loop `d` contiguously, or not at all.
static bool innermostIsContiguous(linalg::LinalgOp op, unsigned d) {
  AffineExpr last = getAffineDimExpr(d, op->getContext());
  for (AffineMap map : op.getIndexingMapsArray()) {
    if (!map.isProjectedPermutation())
      return false;
    if (map.getNumResults() && map.getResults().back() == last)
      continue;
    if (map.isFunctionOfDim(d))
      return false;
  }
  return true;
}

LogicalResult kiln::vectorizeRows(RewriterBase &rewriter, linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic) ||
      op->getNumResults() != 1 || !op.hasPureTensorSemantics())
    return failure();
  // i1 vectors would be stored as packed bits, not the byte per element
  // that memrefs of i1 hold.
  for (Value v : op->getOperands())
    if (getElementTypeOrSelf(v.getType()).getIntOrFloatBitWidth() < 8)
      return failure();
  // Math functions the LLVM phase lowers on vectors (exp and tanh after
  // kiln-parallelize-elementwise's polynomial approximation); others, such
  // as erf, only as scalar libm calls.
  bool scalarOnly = false;
  op->walk([&](Operation *inner) {
    if (inner->getDialect() && inner->getDialect()->getNamespace() == "math" &&
        !isa<math::ExpOp, math::TanhOp, math::SqrtOp, math::RsqrtOp,
             math::AbsFOp, math::FloorOp, math::CeilOp, math::FmaOp>(inner))
      scalarOnly = true;
  });
  if (scalarOnly)
    return failure();
  unsigned d = ranges.size() - 1;
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  // Only the innermost loop may reduce.
  for (unsigned i = 0; i < d; ++i)
    if (iters[i] != utils::IteratorType::parallel)
      return failure();
  if (!innermostIsContiguous(op, d))
    return failure();
  SmallVector<int64_t> sizes(ranges.size(), 1);
  bool reduces = iters[d] == utils::IteratorType::reduction;
  sizes[d] = reduces ? ranges[d] : pow2Tile(ranges[d], 64);
  if (sizes[d] < 4 || sizes[d] > 1024 || pow2Tile(sizes[d], 1024) != sizes[d])
    return failure();

  // Inputs that are the destination too must read each tile from the
  // loop's carried value, not the value before the loop, or bufferization
  // copies it.
  SmallVector<unsigned> inPlace;
  OpOperand *init = op.getDpsInitOperand(0);
  for (OpOperand *in : op.getDpsInputOperands())
    if (in->get() == init->get() &&
        op.getMatchingIndexingMap(in) == op.getMatchingIndexingMap(init))
      inPlace.push_back(in->getOperandNumber());

  Operation *target = op;
  if (sizes != ranges) {
    scf::SCFTilingOptions options;
    SmallVector<int64_t> tileSizes(sizes);
    if (reduces)
      tileSizes[d] = 0;
    options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), tileSizes));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> r =
        scf::tileUsingSCF(rewriter, cast<TilingInterface>(*op), options);
    if (failed(r))
      return failure();
    rewriter.replaceOp(op, r->replacements);
    target = r->tiledOps.front();
    auto tiled = cast<linalg::LinalgOp>(target);
    Value tiledInit = tiled.getDpsInitOperand(0)->get();
    for (unsigned idx : inPlace)
      rewriter.modifyOpInPlace(tiled,
                               [&] { tiled->setOperand(idx, tiledInit); });
  }
  rewriter.setInsertionPoint(target);
  FailureOr<linalg::VectorizationResult> v =
      linalg::vectorize(rewriter, target);
  if (failed(v))
    return failure();
  rewriter.replaceOp(target, v->replacements);
  return success();
}

/// The unrolled shape of `op` (over its iteration space for a contraction,
/// its vector otherwise) when its innermost vector dimension is not a power
/// of two; see unrollToPow2Widths.
static std::optional<SmallVector<int64_t>> pow2Pieces(Operation *op,
                                                      int64_t lanes) {
  auto unrollable = dyn_cast<VectorUnrollOpInterface>(op);
  if (!unrollable || !(isa<vector::ContractionOp, vector::TransferReadOp,
                           vector::TransferWriteOp>(op) ||
                       OpTrait::hasElementwiseMappableTraits(op)))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> shape = unrollable.getShapeForUnroll();
  if (!shape || shape->empty())
    return std::nullopt;
  // The iteration dimension that runs along the vector registers.
  size_t wide = shape->size() - 1;
  if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
    auto d = dyn_cast<AffineDimExpr>(
        contract.getIndexingMapsArray().back().getResults().back());
    if (!d)
      return std::nullopt;
    wide = d.getPosition();
  }
  int64_t width = (*shape)[wide];
  int64_t piece = kiln::pow2Tile(width, lanes);
  if (llvm::isPowerOf2_64(width) || piece < 4)
    return std::nullopt;
  (*shape)[wide] = piece;
  return shape;
}

LogicalResult kiln::unrollToPow2Widths(Operation *root, int64_t lanes) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    if (pow2Pieces(op, lanes))
      ops.push_back(op);
  });
  if (ops.empty())
    return success();
  RewritePatternSet patterns(root->getContext());
  vector::populateVectorUnrollPatterns(
      patterns, vector::UnrollVectorOptions().setNativeShapeFn(
                    [lanes](Operation *op) { return pow2Pieces(op, lanes); }));
  // Just these ops and the pieces they become: folding and region
  // simplification elsewhere would change what later passes see.
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
      .enableFolding(false)
      .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return applyOpPatternsGreedily(ops, std::move(patterns), config);
}
