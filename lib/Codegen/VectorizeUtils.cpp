//===- VectorizeUtils.cpp - Shared CPU vectorization helpers --------------===//

#include "VectorizeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/bit.h"

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

/// The innermost vector width of `op` and, for a contraction, the
/// iteration dimension that runs along it (else the vector's last).
static std::optional<std::pair<int64_t, unsigned>> innerWidth(Operation *op) {
  // The unit dimension the 1-D conv drops from its filter rows.
  if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
    auto type = dyn_cast<VectorType>(extract.getType());
    if (!type || !type.getRank() || extract.hasDynamicPosition())
      return std::nullopt;
    return std::make_pair(type.getShape().back(), unsigned(type.getRank() - 1));
  }
  auto unrollable = dyn_cast<VectorUnrollOpInterface>(op);
  if (!unrollable || !(isa<vector::ContractionOp, vector::TransferReadOp,
                           vector::TransferWriteOp>(op) ||
                       OpTrait::hasElementwiseMappableTraits(op)))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> shape = unrollable.getShapeForUnroll();
  if (!shape || shape->empty())
    return std::nullopt;
  unsigned wide = shape->size() - 1;
  if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
    auto d = dyn_cast<AffineDimExpr>(
        contract.getIndexingMapsArray().back().getResults().back());
    if (!d)
      return std::nullopt;
    wide = d.getPosition();
  }
  return std::make_pair((*shape)[wide], wide);
}

/// Contractions and transfers whose width is not a whole number of
/// registers (24 = 16 + 8) split at register boundaries instead of into
/// equal pieces (3 x 8): one full FMA and one half per row instead of three
/// halves. See SplitWidth.
static bool splitsUnevenly(Operation *op, int64_t width, int64_t lanes) {
  return width % lanes != 0 && width > lanes &&
         isa<vector::ContractionOp, vector::TransferReadOp,
             vector::TransferWriteOp, vector::ExtractOp>(op);
}

/// The unrolled shape of `op` (over its iteration space for a contraction,
/// its vector otherwise) when its innermost vector dimension is not a power
/// of two and it splits into equal pieces; see unrollToPow2Widths.
static std::optional<SmallVector<int64_t>> pow2Pieces(Operation *op,
                                                      int64_t lanes) {
  auto unrollable = dyn_cast<VectorUnrollOpInterface>(op);
  std::optional<std::pair<int64_t, unsigned>> inner = innerWidth(op);
  if (!unrollable || !inner)
    return std::nullopt;
  auto [width, wide] = *inner;
  int64_t piece = kiln::pow2Tile(width, lanes);
  if (llvm::isPowerOf2_64(width) || piece < 4 ||
      splitsUnevenly(op, width, lanes))
    return std::nullopt;
  SmallVector<int64_t> shape = *unrollable.getShapeForUnroll();
  shape[wide] = piece;
  return shape;
}

/// (offset, width) of the pieces a vector dimension of `width` splits into
/// at register boundaries: whole registers of `lanes`, then powers of two.
static SmallVector<std::pair<int64_t, int64_t>> registerPieces(int64_t width,
                                                               int64_t lanes) {
  SmallVector<std::pair<int64_t, int64_t>> pieces;
  for (int64_t at = 0; at < width;) {
    int64_t w = std::min<int64_t>(lanes, llvm::bit_floor(uint64_t(width - at)));
    pieces.push_back({at, w});
    at += w;
  }
  return pieces;
}

/// `v`[.., at:at+w, ..] along `dim`.
static Value sliceOf(OpBuilder &b, Location loc, Value v, int64_t dim,
                     int64_t at, int64_t w) {
  auto type = cast<VectorType>(v.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
  SmallVector<int64_t> sizes(type.getShape());
  offsets[dim] = at;
  sizes[dim] = w;
  return vector::ExtractStridedSliceOp::create(b, loc, v, offsets, sizes,
                                               strides);
}

/// `piece` put into `into` at `at` along its innermost dimension.
static Value withPiece(OpBuilder &b, Location loc, Value piece, Value into,
                       int64_t at) {
  int64_t rank = cast<VectorType>(into.getType()).getRank();
  SmallVector<int64_t> offsets(rank, 0),
      strides(cast<VectorType>(piece.getType()).getRank(), 1);
  offsets.back() = at;
  return vector::InsertStridedSliceOp::create(b, loc, piece, into, offsets,
                                              strides);
}

/// The index of a transfer's source that its vector's innermost dimension
/// walks, if that is a plain dimension.
static std::optional<unsigned> innerIndex(VectorTransferOpInterface xfer) {
  AffineMap map = xfer.getPermutationMap();
  if (!map.getNumResults())
    return std::nullopt;
  auto d = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!d)
    return std::nullopt;
  return d.getPosition();
}

/// The transfer's indices, the one at `pos` moved by `at`.
static SmallVector<Value> shiftedIndices(OpBuilder &b, Location loc,
                                         ValueRange indices, unsigned pos,
                                         int64_t at) {
  SmallVector<Value> out(indices);
  if (at)
    out[pos] = arith::AddIOp::create(
        b, loc, out[pos], arith::ConstantIndexOp::create(b, loc, at));
  return out;
}

namespace {
/// Splits a contraction or transfer whose innermost width is not a whole
/// number of registers at register boundaries (see splitsUnevenly).
struct SplitWidth : RewritePattern {
  SplitWidth(MLIRContext *ctx, int64_t lanes)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx), lanes(lanes) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    std::optional<std::pair<int64_t, unsigned>> inner = innerWidth(op);
    if (!inner || !splitsUnevenly(op, inner->first, lanes) ||
        op->getParentOfType<vector::MaskOp>())
      return failure();
    auto pieces = registerPieces(inner->first, lanes);
    Location loc = op->getLoc();
    if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
      SmallVector<AffineMap> maps = contract.getIndexingMapsArray();
      AffineExpr d = rewriter.getAffineDimExpr(inner->second);
      Value result = contract.getAcc();
      for (auto [at, w] : pieces) {
        SmallVector<Value> operands;
        for (auto [operand, map] :
             llvm::zip(contract->getOperands().take_front(3), maps)) {
          std::optional<unsigned> pos = map.getResultPosition(d);
          operands.push_back(pos ? sliceOf(rewriter, loc, operand, *pos, at, w)
                                 : operand);
        }
        Value piece = vector::ContractionOp::create(
            rewriter, loc, operands[0], operands[1], operands[2],
            contract.getIndexingMaps(), contract.getIteratorTypes(),
            contract.getKind());
        result = withPiece(rewriter, loc, piece, result, at);
      }
      rewriter.replaceOp(op, result);
      return success();
    }
    if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
      auto type = cast<VectorType>(extract.getType());
      int64_t last = extract.getSourceVectorType().getRank() - 1;
      Value result = arith::ConstantOp::create(rewriter, loc, type,
                                               rewriter.getZeroAttr(type));
      for (auto [at, w] : pieces) {
        Value piece = vector::ExtractOp::create(
            rewriter, loc,
            sliceOf(rewriter, loc, extract.getSource(), last, at, w),
            extract.getStaticPosition());
        result = withPiece(rewriter, loc, piece, result, at);
      }
      rewriter.replaceOp(op, result);
      return success();
    }
    auto xfer = cast<VectorTransferOpInterface>(op);
    std::optional<unsigned> pos = innerIndex(xfer);
    if (!pos || xfer.getMask())
      return failure();
    if (auto read = dyn_cast<vector::TransferReadOp>(op)) {
      VectorType type = read.getVectorType();
      Value result = arith::ConstantOp::create(rewriter, loc, type,
                                               rewriter.getZeroAttr(type));
      for (auto [at, w] : pieces) {
        SmallVector<int64_t> shape(type.getShape());
        shape.back() = w;
        Value piece = vector::TransferReadOp::create(
            rewriter, loc, VectorType::get(shape, type.getElementType()),
            read.getBase(),
            shiftedIndices(rewriter, loc, read.getIndices(), *pos, at),
            read.getPermutationMapAttr(), read.getPadding(), Value(),
            read.getInBoundsAttr());
        result = withPiece(rewriter, loc, piece, result, at);
      }
      rewriter.replaceOp(op, result);
      return success();
    }
    auto write = cast<vector::TransferWriteOp>(op);
    Value dest = write.getBase();
    int64_t last = write.getVectorType().getRank() - 1;
    for (auto [at, w] : pieces) {
      auto piece = vector::TransferWriteOp::create(
          rewriter, loc, sliceOf(rewriter, loc, write.getVector(), last, at, w),
          dest, shiftedIndices(rewriter, loc, write.getIndices(), *pos, at),
          write.getPermutationMapAttr(), Value(), write.getInBoundsAttr());
      if (piece->getNumResults())
        dest = piece->getResult(0);
    }
    if (write->getNumResults())
      rewriter.replaceOp(op, dest);
    else
      rewriter.eraseOp(op);
    return success();
  }

  int64_t lanes;
};
} // namespace

int64_t kiln::vectorPieces(int64_t width, int64_t lanes) {
  if (width > lanes && width % lanes != 0)
    return registerPieces(width, lanes).size();
  return width / kiln::pow2Tile(width, lanes);
}

LogicalResult kiln::unrollToPow2Widths(Operation *root, int64_t lanes) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    std::optional<std::pair<int64_t, unsigned>> inner = innerWidth(op);
    if (inner &&
        (pow2Pieces(op, lanes) || splitsUnevenly(op, inner->first, lanes)))
      ops.push_back(op);
  });
  if (ops.empty())
    return success();
  RewritePatternSet patterns(root->getContext());
  vector::populateVectorUnrollPatterns(
      patterns, vector::UnrollVectorOptions().setNativeShapeFn(
                    [lanes](Operation *op) { return pow2Pieces(op, lanes); }));
  patterns.add<SplitWidth>(root->getContext(), lanes);
  // Just these ops and the pieces they become: folding and region
  // simplification elsewhere would change what later passes see.
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
      .enableFolding(false)
      .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return applyOpPatternsGreedily(ops, std::move(patterns), config);
}
