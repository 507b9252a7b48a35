//===- TileAndVectorize.cpp - CPU strategy for contractions ---------------===//
//
// The CPU strategy for the FLOP-heavy ops: 2-D convolutions become im2col +
// a matmul-shaped contraction; every static f32 contraction is then tiled
// for the caches, tiled again to a register tile (a few rows of the output
// by a wide run of its contiguous dimension) and vectorized. The register
// tile's vector.contract becomes outer products (FMAs) in the LLVM phase,
// and loop-invariant-subset-hoisting keeps the accumulators in registers
// across the reduction loop.
//
// Tile sizes are decided here, per op, from its static shape: each divides
// its dimension (whole vector registers preferred), so every tile is full
// and vectorizes without masks. Odd spatial sizes (49, 196) still get odd
// vector widths; NHWC/blocked layouts (the layout phase) are the way out.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "VectorizeUtils.h"
#include "WinogradConv.h"

#include "Kiln/Transforms/KernelInfo.h"
#include "Kiln/Transforms/WeightUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// The target's SIMD registers, as tile sizes see them.
struct Simd {
  /// f32 lanes of a register.
  int64_t lanes;
  /// Registers: 32 (AVX-512, NEON) or 16 (AVX2, SSE).
  int64_t registers;
  /// Vectors across a register tile's row: 4 with 32 registers (a 6-row
  /// tile holds 24 accumulators, 4 operand vectors and a broadcast), 2 with
  /// 16 (12, 2 and 1).
  int64_t rowVectors() const { return registers >= 32 ? 4 : 2; }
  /// Floats across a full-width register tile's row.
  int64_t rowFloats() const { return rowVectors() * lanes; }
  /// Floats of accumulators a tile may hold: half the registers.
  int64_t accumulatorFloats() const { return registers / 2 * lanes; }
};

/// Largest tile <= target that divides `dim`, preferring multiples of
/// `lanes` (whole vector registers) when one divides.
int64_t dividingTile(int64_t dim, int64_t target, int64_t lanes) {
  for (int64_t t = std::min(dim, target) / lanes * lanes; t >= lanes;
       t -= lanes)
    if (dim % t == 0)
      return t;
  for (int64_t t = std::min(dim, target); t > 1; --t)
    if (dim % t == 0)
      return t;
  return 1;
}

/// Register tiles of rows per cache tile, for `n` of them: with enough for 4
/// cache tiles of 32 (threads split those), 32 share each [kc, regCols]
/// panel of the wide operand while it is in L1; at 16, the panel's first
/// pass from L2 cost ~5% of a 1024^3 matmul.
int64_t rowTileTarget(int64_t n) { return n >= 4 * 32 ? 32 : 16; }

/// Register tiles per cache tile for `n` register tiles of rows that keep
/// most of the panel's reuse (at least half the target) and give two
/// threads equal shares (an even number of cache tiles), if any.
std::optional<int64_t> balancedRowTiles(int64_t n) {
  int64_t target = rowTileTarget(n);
  for (int64_t d = std::min(n, target); d >= target / 2; --d)
    if (n % d == 0 && (n / d) % 2 == 0)
      return d;
  return std::nullopt;
}

/// Reduction steps a register tile unrolls (when they divide the block).
constexpr int64_t kRegisterSteps = 4;

struct Strategy {
  SmallVector<int64_t> cache, reg;
  /// The contraction's vector dimension (the output's innermost).
  std::optional<unsigned> wideDim;
  /// The dimension whose rows a register tile holds, if any.
  std::optional<unsigned> rowDim;
  /// Loop distributed over threads (an scf.forall of cache tiles), if any.
  std::optional<unsigned> parallelDim;
  /// Rows of each cache tile left over by its register tiles: they make a
  /// register tile of their own, after the others of the cache tile.
  int64_t tailRows = 0;
  /// Whether register tiles sum over the whole reduction (streamedPanels).
  bool streamsPanels = false;
};

/// Largest [K, regCols] panel of the wide operand that a register tile
/// streams over the whole reduction (from L2, see streamedPanels).
constexpr int64_t kMaxPanelBytes = 256 << 10;

/// Rows per cache tile when register tiles sum over the whole reduction:
/// the panel is read from L2 by each of them, and from L3 once per cache
/// tile.
constexpr int64_t kRowBlock = 256;

/// Cache tiles for a contraction with `m` rows, reduction `k` and register
/// tiles of `regRows` x `regCols` (full width) that sum over all of k:
/// each register tile keeps its accumulators over the whole reduction and
/// stores them once (a 1024^3 matmul with kc = 128 loaded and stored them
/// 8 times), streaming its [k, regCols] panel from L2, while the rows of a
/// cache tile (about kRowBlock, the panel read from L3 once for them all)
/// take turns. That is oneDNN's blocking for such GEMMs; on 1024^3 it ran
/// 0.96x of kc = 128 with 102-row cache tiles, and 1.03-1.05x of oneDNN
/// where that was 1.09-1.12x. (Prefetching the panel into L1 a few steps
/// ahead, as oneDNN does, measured 3-5% slower here.) A cache tile's rows need
/// not be a multiple of `regRows`: the rest is one smaller register tile, with
/// the panel still in L2 (1024 = 4 x (42 x 6 + 4)). Returns the cache
/// tile's rows, or nothing when the reduction is short enough for the
/// L1-resident panels of chooseTiles or too long for L2.
std::optional<int64_t> streamedPanels(int64_t m, int64_t k, int64_t regRows,
                                      int64_t regCols, int64_t kc,
                                      int64_t elemBytes) {
  if (k <= kc || k * regCols * elemBytes > kMaxPanelBytes || m < kRowBlock)
    return std::nullopt;
  // The divisor of m nearest kRowBlock from below, at least half of it,
  // preferring an even number of cache tiles (two threads). From 256 rows
  // (2 x 128; 256 x 1024 x 1024 ran 0.94x of kc = 128 blocks).
  std::optional<int64_t> best;
  for (int64_t mc = kRowBlock; mc >= kRowBlock / 2; --mc) {
    if (m % mc)
      continue;
    if ((m / mc) % 2 == 0)
      return mc;
    if (!best)
      best = mc;
  }
  return best;
}

/// The reduction block of AVX-512's 4-vector rows. Streamed panels
/// (streamedPanels) start at reductions longer than it, at every width.
constexpr int64_t kReductionBlock = 128;

/// Reduction steps per L1-resident cache tile when the pass leaves it to the
/// target (reduction-tile=0): 128 with 4-vector rows (AVX-512: a [128, 64]
/// f32 panel, 32 KiB of a 48 KiB L1), 256 with narrower rows of at least 4
/// (AVX2: [256, 16], 16 KiB of 32 KiB). On Zen 3, 256 ran the transformer's
/// K = 256 GEMMs 5% faster (the model 0.97-0.98x); batch-1 MLP layers
/// (1-row tiles) ran 1-4% slower with it, so those keep 128.
int64_t reductionBlock(int64_t regCols, int64_t regRows) {
  return regCols >= 64 || regRows < 4 ? kReductionBlock : 2 * kReductionBlock;
}

/// Tile sizes for a contraction: the output's innermost dimension is the
/// vector ("wide") dimension; one dimension of the other operand gives the
/// register tile's rows; reductions are blocked for L1/L2.
std::optional<Strategy> chooseTiles(linalg::LinalgOp op, int64_t regRows,
                                    int64_t regCols, int64_t kc, Simd simd) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->k.empty())
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  AffineMap outMap = op.getIndexingMapMatchingResult(op->getResult(0));
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return std::nullopt;
  unsigned wide = last.getPosition();
  bool wideIsN = llvm::is_contained(dims->n, wide);
  if (!wideIsN && !llvm::is_contained(dims->m, wide))
    return std::nullopt;
  ArrayRef<unsigned> rowDims = wideIsN ? dims->m : dims->n;
  std::optional<unsigned> rows;
  if (!rowDims.empty())
    rows = rowDims.back();

  Strategy s;
  s.wideDim = wide;
  s.rowDim = rows;
  s.cache.assign(ranges.size(), 1);
  s.reg.assign(ranges.size(), 1);
  s.cache[wide] = dividingTile(ranges[wide], 8 * regCols, simd.lanes);
  s.reg[wide] = kiln::pow2Tile(s.cache[wide], regCols);
  unsigned kLast = dims->k.back();
  int64_t elemBytes =
      getElementTypeOrSelf(op->getResult(0).getType()).getIntOrFloatBitWidth() /
      8;
  std::optional<int64_t> rowBlock;
  if (rows && dims->k.size() == 1 && s.reg[wide] == regCols &&
      ranges[wide] % regCols == 0)
    rowBlock = streamedPanels(ranges[*rows], ranges[kLast], regRows, regCols,
                              kc ? kc : kReductionBlock, elemBytes);
  if (rowBlock) {
    s.cache[*rows] = *rowBlock;
    s.reg[*rows] = regRows;
    s.tailRows = *rowBlock % regRows;
    s.streamsPanels = true;
    s.cache[wide] = regCols;
    s.cache[kLast] = ranges[kLast];
  } else if (rows) {
    int64_t m = ranges[*rows];
    // A full-width tile (4 vectors with 32 registers) holds `regRows` rows
    // (6: 24 accumulators, 10 loads per 24 FMAs instead of 8 per 16 with 4
    // rows) when they divide the rows into balanced cache tiles (splitRows
    // makes them), or all of them when they are that few; otherwise 4 rows,
    // or what divides.
    bool fullWidth = s.reg[wide] == regCols;
    std::optional<int64_t> perCacheTile;
    if (fullWidth && m % regRows == 0)
      perCacheTile = balancedRowTiles(m / regRows);
    if (perCacheTile) {
      s.cache[*rows] = regRows * *perCacheTile;
      s.reg[*rows] = regRows;
    } else if (fullWidth && m <= regRows) {
      s.cache[*rows] = s.reg[*rows] = m;
    } else {
      int64_t r = std::min<int64_t>(regRows, 4);
      s.cache[*rows] = dividingTile(m, rowTileTarget(m / r) * r, 1);
      s.reg[*rows] = dividingTile(s.cache[*rows], r, 1);
    }
  }
  if (!kc)
    kc = reductionBlock(regCols, rows ? s.reg[*rows] : 1);
  for (unsigned k : dims->k)
    if (!rowBlock)
      s.cache[k] = k == dims->k.back() ? dividingTile(ranges[k], kc, 1) : 1;
  // A register tile of several rows takes 4 reduction steps (4 outer
  // products) where they divide the block: a quarter of the loop's index
  // updates and branches, and LLVM schedules one step's loads among the
  // FMAs of the one before (1024^3 and the transformer's GEMMs 1-4% faster).
  // A single row's FMAs wait on one chain of accumulators either way, and
  // batch-1 MLP layers ran 2.5% slower unrolled.
  if (rows && s.reg[*rows] >= 4 && s.cache[kLast] % kRegisterSteps == 0)
    s.reg[kLast] = kRegisterSteps;
  // Threads take whole cache tiles of the parallel dimension with the most,
  // preferring an even number (two threads get equal shares).
  int64_t most = 1;
  bool even = false;
  for (ArrayRef<unsigned> group :
       {ArrayRef<unsigned>(dims->batch), ArrayRef<unsigned>(dims->m),
        ArrayRef<unsigned>(dims->n)})
    for (unsigned d : group) {
      int64_t tiles = ranges[d] / s.cache[d];
      bool isEven = tiles % 2 == 0;
      if (tiles > 1 &&
          ((isEven && !even) || (isEven == even && tiles > most))) {
        most = tiles;
        even = isEven;
        s.parallelDim = d;
      }
    }
  // Cache tiles of rows share nothing but the panels' first reads from L3;
  // cache tiles of one panel would each read all of the other operand.
  if (rowBlock)
    s.parallelDim = *rows;
  return s;
}

/// Tiling by `sizes` (0 = untiled) with scf.for loops in the order
/// `interchange` (default: dimension order), or one scf.forall.
scf::SCFTilingOptions tilingOptions(MLIRContext *ctx, ArrayRef<int64_t> sizes,
                                    bool forall,
                                    ArrayRef<int64_t> interchange) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(ctx, sizes));
  if (forall)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  if (!interchange.empty())
    options.setInterchange(interchange);
  return options;
}

/// Tiles `target` (see tilingOptions); returns the tiled op.
FailureOr<Operation *> tile(RewriterBase &rewriter, Operation *target,
                            ArrayRef<int64_t> sizes, bool forall = false,
                            ArrayRef<int64_t> interchange = {}) {
  rewriter.setInsertionPoint(target);
  FailureOr<scf::SCFTilingResult> r = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(target),
      tilingOptions(rewriter.getContext(), sizes, forall, interchange));
  if (failed(r))
    return failure();
  rewriter.replaceOp(target, r->replacements);
  return r->tiledOps.front();
}

/// Points operand `idx` of a register tile -- a slice of a constant whose
/// last dimension is the tile's vector dimension (a conv's HWCF filter, a
/// matmul's [K, N] weights) -- at a copy of the constant packed as
/// [F/ft, D0, ..., ft] (made once per constant, at compile time). The rows a
/// register tile reads are then contiguous instead of F floats apart, which
/// for wide layers put them in the same few L1 sets.
void packLastDim(RewriterBase &rewriter, Operation *tiled, unsigned idx,
                 int64_t ft, DenseMap<Value, Value> &packed) {
  auto slice = tiled->getOperand(idx).getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || !slice.hasUnitStride())
    return;
  int64_t rank = slice.getSourceType().getRank();
  if (slice.getType().getRank() != rank)
    return;
  // The loops outside took their own slices first: compose them.
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets(),
                            sizes = slice.getMixedSizes();
  Value src = slice.getSource();
  while (auto outer = src.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (!outer.hasUnitStride() || outer.getSourceType().getRank() != rank ||
        outer.getType().getRank() != rank)
      return;
    rewriter.setInsertionPoint(slice);
    AffineExpr d0, d1;
    bindDims(rewriter.getContext(), d0, d1);
    for (auto [o, base] : llvm::zip(offsets, outer.getMixedOffsets()))
      o = affine::makeComposedFoldedAffineApply(rewriter, slice.getLoc(),
                                                d0 + d1, {o, base});
    src = outer.getSource();
  }
  auto type = cast<RankedTensorType>(src.getType());
  if (!type.hasStaticShape())
    return;
  int64_t f = type.getDimSize(rank - 1), inner = type.getNumElements() / f;
  if (f == ft || f % ft)
    return;
  Value &blocked = packed[src];
  if (!blocked) {
    std::optional<SmallVector<float>> w = kiln::getConstantF32(src);
    if (!w)
      return;
    SmallVector<float> p(w->size());
    for (int64_t i = 0; i < inner; ++i)
      for (int64_t j = 0; j < f; ++j)
        p[((j / ft) * inner + i) * ft + j % ft] = (*w)[i * f + j];
    SmallVector<int64_t> shape = {f / ft};
    llvm::append_range(shape, type.getShape().drop_back());
    shape.push_back(ft);
    auto pType = RankedTensorType::get(shape, type.getElementType());
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointAfterValue(src);
    blocked = arith::ConstantOp::create(
        rewriter, src.getLoc(),
        kiln::createF32Attr(slice, pType, p, "packed_weight"));
  }
  rewriter.setInsertionPoint(slice);
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  OpFoldResult block = affine::makeComposedFoldedAffineApply(
      rewriter, slice.getLoc(), d0.floorDiv(ft), {offsets.back()});
  SmallVector<OpFoldResult> newOffsets = {block},
                            newSizes = {rewriter.getIndexAttr(1)};
  for (int64_t d = 0; d + 1 < rank; ++d) {
    newOffsets.push_back(offsets[d]);
    newSizes.push_back(sizes[d]);
  }
  newOffsets.push_back(rewriter.getIndexAttr(0));
  newSizes.push_back(sizes.back());
  SmallVector<OpFoldResult> strides(rank + 1, rewriter.getIndexAttr(1));
  auto repl =
      tensor::ExtractSliceOp::create(rewriter, slice.getLoc(), slice.getType(),
                                     blocked, newOffsets, newSizes, strides);
  rewriter.modifyOpInPlace(tiled, [&] { tiled->setOperand(idx, repl); });
}

/// Output channels of a conv register tile of `owTile` pixels: the most
/// accumulators that leave registers for a row of filter vectors, a
/// broadcast and a few to spare, in multiples of the widest power of two
/// dividing `f` (up to a register). The width may be 3 vectors (48 channels
/// of 96) or a vector and a half (24 = 16 + 8), which unrollToPow2Widths
/// splits: with powers of two only, 7 pixels of 96 channels held 14
/// accumulators and 8 pixels of 24 channels 8 of 8 floats. 8 pixels of 3
/// vectors (27 registers) spilled once LLVM hoisted the next filter rows.
int64_t convChannelTile(int64_t f, int64_t owTile, Simd simd) {
  int64_t unit = kiln::pow2Tile(f, simd.lanes);
  int64_t best = unit;
  for (int64_t t = unit; t <= f; t += unit) {
    int64_t vectors = kiln::vectorPieces(t, simd.lanes);
    if (f % t == 0 && (owTile + 1) * vectors + 3 <= simd.registers - 4)
      best = t;
  }
  return best;
}

/// Direct NHWC convolution (loops n, oh, ow, f, kh, kw, c). Each register
/// tile is `ow` output pixels by `f` channels (whole vectors, ~16
/// accumulators), summed over kh, kw and blocks of c; with oh and kh tiled
/// to 1 it is a 1-D convolution, which upstream vectorizes into
/// broadcast-FMAs on filter rows. Filter channels are the outer loop: one
/// block of filters (KH*KW*C*f floats) stays in L2 while every output pixel
/// uses it. Threads split the filter blocks when there are enough of them,
/// else the output rows.
std::optional<Strategy> chooseConvTiles(linalg::Conv2DNhwcHwcfOp conv,
                                        Simd simd) {
  SmallVector<int64_t> r =
      cast<linalg::LinalgOp>(conv.getOperation()).getStaticLoopRanges();
  if (r.size() != 7 || llvm::any_of(r, ShapedType::isDynamic))
    return std::nullopt;
  int64_t ow = r[2], f = r[3], c = r[6];
  int64_t owTile, fTile;
  if (ow % 4 == 0 && f % simd.rowFloats() == 0) {
    owTile = 4;
    fTile = simd.rowFloats();
  } else {
    owTile = dividingTile(ow, 8, 1);
    fTile = convChannelTile(f, owTile, simd);
    // A pixel fewer may leave registers for another vector of channels (7
    // pixels of 48 channels instead of 8 of 32).
    if (int64_t fewer = owTile - 1; fewer > 1 && ow % fewer == 0) {
      int64_t wider = convChannelTile(f, fewer, simd);
      if (fewer * wider > owTile * fTile) {
        owTile = fewer;
        fTile = wider;
      }
    }
  }
  // The 1-D conv over a block of c is unrolled: ~256 FMAs per block keep
  // LLVM's scheduler from hoisting filter loads past the 32 registers (at 64
  // channels a 4x64 tile spilled ~150 vectors per block).
  // Strided ones, whose 1-D convs contract each pixel on its own, get half:
  // at 16 channels a block theirs spilled filter vectors to the stack, and
  // ResNet-18's stride-2 convs ran 1.2-1.6x faster with 8.
  int64_t fmas = owTile * kiln::vectorPieces(fTile, simd.lanes);
  bool strided = !llvm::all_of(conv.getStrides(),
                               [](const APInt &v) { return v.isOne(); });
  int64_t cTile =
      kiln::pow2Tile(c, std::max<int64_t>((strided ? 128 : 256) / fmas, 4));
  Strategy s;
  s.cache = {1, 1, owTile, fTile, 1, 1, cTile};
  s.reg = s.cache;
  // Threads split the filters only when they are large (each then keeps
  // its share in L2) and come in enough blocks to balance; small filters
  // split the output rows, which every thread reads its own part of.
  int64_t filterBytes = r[4] * r[5] * c * f * 4;
  s.parallelDim =
      f / fTile >= 4 && (filterBytes > (512 << 10) || r[1] < 4) ? 3 : 1;
  return s;
}

/// Tiles `op` by `sizes`, fusing the producer of its destination (the
/// accumulators' initial value: a fill or a broadcast bias) into the new
/// loops, so each tile initializes its own accumulators.
FailureOr<Operation *>
tileFusingInit(RewriterBase &rewriter, Operation *op, ArrayRef<int64_t> sizes,
               bool forall, ArrayRef<int64_t> interchange = {},
               SmallVectorImpl<LoopLikeOpInterface> *loops = nullptr) {
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(
      tilingOptions(rewriter.getContext(), sizes, forall, interchange));
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        auto init = dyn_cast<linalg::LinalgOp>(producer.getOwner());
        if (!isDestination || !init || init.getNumReductionLoops() != 0)
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTileAndFuseResult> r =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(op), options);
  if (failed(r))
    return failure();
  for (OpResult res : op->getResults())
    if (Value v = r->replacements.lookup(res))
      rewriter.replaceAllUsesWith(res, v);
  if (loops)
    loops->assign(r->loops.begin(), r->loops.end());
  Operation *tiled = nullptr;
  for (Operation *t : r->tiledAndFusedOps)
    if (t->getName() == op->getName())
      tiled = t;
  if (!tiled)
    return failure();
  return tiled;
}

/// Whether `op` is elementwise over identity maps: its result has the
/// shape of each operand, element for element. With `broadcasts`, inputs
/// may also be broadcast along leading dimensions (a matmul's bias row).
bool isIdentityElementwise(Operation *op, bool broadcasts = false) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic->getNumResults() != 1 ||
      !linalg::isElementwise(generic) || !generic.hasPureTensorSemantics())
    return false;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap m = generic.getMatchingIndexingMap(&operand);
    if (!m.isIdentity() &&
        !(broadcasts && generic.isDpsInput(&operand) && m.isMinorIdentity()))
      return false;
  }
  return true;
}

/// Makes the fused consumer tile `tile` overwrite its operand `fused` (the
/// producer's tile) instead of a tile of its own, and the producer write
/// straight into the consumer's destination: the producer's full-size
/// result, no longer used, then folds away instead of being bufferized as a
/// temporary per tile. Applies when the consumer ignores its destination's
/// old values and both destinations are the same slice of the loop's
/// shared outputs.
void writeInPlace(RewriterBase &rewriter, linalg::GenericOp tile,
                  OpOperand &fused) {
  OpOperand *init = tile.getDpsInitOperand(0);
  Value produced = fused.get();
  if (tile.payloadUsesValueFromOperand(init) ||
      produced.getType() != init->get().getType())
    return;
  auto consumerSlice = init->get().getDefiningOp<tensor::ExtractSliceOp>();
  // The producer's destination, through the ops that initialize it (a
  // fill, a broadcast bias, or the loop over a Winograd tile's filters) to
  // the slice of its shared output.
  Value dest = produced;
  for (;;) {
    if (auto dps = dest.getDefiningOp<DestinationStyleOpInterface>()) {
      if (dps->getNumResults() != 1)
        return;
      dest = dps.getDpsInitOperand(0)->get();
    } else if (auto loop = dest.getDefiningOp<scf::ForOp>()) {
      dest = loop.getTiedLoopInit(cast<OpResult>(dest))->get();
    } else {
      break;
    }
  }
  auto producerSlice = dest.getDefiningOp<tensor::ExtractSliceOp>();
  if (!consumerSlice || !producerSlice ||
      !isa<BlockArgument>(consumerSlice.getSource()) ||
      !isa<BlockArgument>(producerSlice.getSource()) ||
      consumerSlice.getType() != producerSlice.getType())
    return;
  // Offsets computed from the loop's index (a Winograd tile's row and
  // column) are rebuilt for the consumer, maybe in another form.
  auto same = [](OpFoldResult a, OpFoldResult b) {
    if (isEqualConstantIntOrValue(a, b))
      return true;
    FailureOr<bool> equal = ValueBoundsConstraintSet::areEqual(a, b);
    return succeeded(equal) && *equal;
  };
  if (!cast<OffsetSizeAndStrideOpInterface>(consumerSlice.getOperation())
           .isSameAs(producerSlice, same))
    return;
  rewriter.modifyOpInPlace(producerSlice, [&] {
    producerSlice.getSourceMutable().assign(consumerSlice.getSource());
  });
  rewriter.modifyOpInPlace(tile, [&] { init->assign(produced); });
}

/// Fuses the chain of elementwise consumers of the tiled op's result (an
/// activation, a residual add, a clip) into `loop`, one after the other:
/// each thread then applies them to its tile while it is still in cache,
/// instead of another pass over the whole tensor. Returns the fused tiles.
SmallVector<Operation *> fuseEpilogue(RewriterBase &rewriter,
                                      LoopLikeOpInterface &loop,
                                      bool broadcasts = false) {
  SmallVector<Operation *> fused;
  for (;;) {
    Value result = loop->getResults().back();
    if (!result.hasOneUse() ||
        !isIdentityElementwise(*result.getUsers().begin(), broadcasts))
      return fused;
    Operation *consumer = *result.getUsers().begin();
    // A chain of elementwise ops (add, then ReLU) becomes one op first, so
    // the tile is read and written once.
    while (consumer->getResult(0).hasOneUse()) {
      OpOperand &use = *consumer->getResult(0).getUses().begin();
      if (!isIdentityElementwise(use.getOwner(), broadcasts) ||
          !linalg::areElementwiseOpsFusable(&use))
        break;
      FailureOr<linalg::ElementwiseOpFusionResult> merged =
          linalg::fuseElementwiseOps(rewriter, &use);
      if (failed(merged))
        break;
      Operation *user = use.getOwner();
      // Where both ops' operands are defined.
      rewriter.moveOpBefore(merged->fusedOp, user);
      rewriter.replaceOp(user, merged->fusedOp->getResults());
      if (consumer->use_empty())
        rewriter.eraseOp(consumer);
      consumer = merged->fusedOp;
    }
    SmallVector<LoopLikeOpInterface> loops = {loop};
    FailureOr<scf::SCFFuseConsumerOfSliceResult> r =
        scf::tileAndFuseConsumer(rewriter, consumer, loops);
    if (failed(r))
      return fused;
    loop = loops.front();
    llvm::append_range(fused, r->tiledOps);
    if (consumer->use_empty())
      rewriter.eraseOp(consumer);
    if (r->tiledOps.size() == 1 && r->tiledAndFusedConsumerOperands.size() == 1)
      writeInPlace(rewriter, cast<linalg::GenericOp>(r->tiledOps.front()),
                   *r->tiledAndFusedConsumerOperands.front());
  }
}

/// When the loop's result is only padded (the next conv's input), the loop
/// writes straight into the interior of the padded tensor: its destination
/// becomes that slice of a tensor whose border (only) is filled with the
/// padding value before the loop, and the pad an insert_slice of the result
/// back into it, which bufferization folds away -- instead of a fill of the
/// whole padded tensor and a copy of the whole result.
void writeIntoPad(RewriterBase &rewriter, LoopLikeOpInterface loop) {
  auto forall = dyn_cast<scf::ForallOp>(loop.getOperation());
  if (!forall || forall->getNumResults() == 0)
    return;
  OpResult result = forall->getResults().back();
  if (!result.hasOneUse())
    return;
  auto pad = dyn_cast<tensor::PadOp>(*result.getUsers().begin());
  OpOperand *out = forall.getTiedOpOperand(result);
  if (!pad || pad.getNofold() || !pad.getResultType().hasStaticShape() ||
      !out->get().getDefiningOp<tensor::EmptyOp>() ||
      llvm::any_of(pad.getStaticLow(), ShapedType::isDynamic))
    return;
  Value padValue = pad.getConstantPaddingValue();
  Attribute padAttr;
  if (!padValue || !matchPattern(padValue, m_Constant(&padAttr)))
    return;
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(forall);
  RankedTensorType type = pad.getResultType();
  Value value =
      arith::ConstantOp::create(rewriter, loc, cast<TypedAttr>(padAttr));
  auto srcType = cast<RankedTensorType>(result.getType());
  // Only the border is filled: for each dimension d, the slabs below and
  // above the interior along d, spanning the interior along the dimensions
  // before d and everything along those after (each border element once).
  Value fill = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                       type.getElementType());
  ArrayRef<int64_t> low = pad.getStaticLow();
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t interior = srcType.getDimSize(d);
    int64_t high = type.getDimSize(d) - low[d] - interior;
    for (auto [start, extent] :
         {std::pair<int64_t, int64_t>{0, low[d]}, {low[d] + interior, high}}) {
      if (extent == 0)
        continue;
      SmallVector<int64_t> offsets(type.getRank(), 0), sizes(type.getShape());
      for (int64_t e = 0; e < d; ++e) {
        offsets[e] = low[e];
        sizes[e] = srcType.getDimSize(e);
      }
      offsets[d] = start;
      sizes[d] = extent;
      Value slabEmpty =
          tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
      Value slab =
          linalg::FillOp::create(rewriter, loc, value, slabEmpty)->getResult(0);
      SmallVector<int64_t> ones(type.getRank(), 1);
      fill = tensor::InsertSliceOp::create(
          rewriter, loc, slab, fill,
          getAsIndexOpFoldResult(rewriter.getContext(), offsets),
          getAsIndexOpFoldResult(rewriter.getContext(), sizes),
          getAsIndexOpFoldResult(rewriter.getContext(), ones));
    }
  }
  SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(
                                rewriter.getContext(), pad.getStaticLow()),
                            sizes = getAsIndexOpFoldResult(
                                rewriter.getContext(), srcType.getShape()),
                            strides(type.getRank(), rewriter.getIndexAttr(1));
  Value interior = tensor::ExtractSliceOp::create(rewriter, loc, srcType, fill,
                                                  offsets, sizes, strides);
  rewriter.modifyOpInPlace(forall, [&] { out->assign(interior); });
  rewriter.setInsertionPoint(pad);
  rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, result, fill, offsets,
                                                     sizes, strides);
}

/// Tiles a convolution by strategy `s`: its parallel dimension as an
/// scf.forall (with the elementwise consumers fused, see fuseEpilogue), then
/// register tiles over the other parallel loops (in the order
/// `interchange`) with their initial values, then the reduction loops
/// `reductions` inside. Returns the innermost tile; `epilogue` gets the
/// fused consumer tiles.
FailureOr<Operation *> tileConvolution(RewriterBase &rewriter, Operation *conv,
                                       const Strategy &s,
                                       ArrayRef<unsigned> reductions,
                                       ArrayRef<int64_t> interchange,
                                       SmallVectorImpl<Operation *> &epilogue) {
  OperationName convName = conv->getName();
  SmallVector<int64_t> outer(s.cache.size(), 0);
  outer[*s.parallelDim] = s.cache[*s.parallelDim];
  SmallVector<LoopLikeOpInterface> loops;
  FailureOr<Operation *> t = tileFusingInit(rewriter, conv, outer,
                                            /*forall=*/true, {}, &loops);
  if (failed(t))
    return failure();
  if (loops.size() == 1) {
    SmallVector<Operation *> fused = fuseEpilogue(rewriter, loops.front());
    if (!fused.empty()) {
      llvm::append_range(epilogue, fused);
      // The fused loop is a new op: find the convolution tile again.
      Operation *tiled = nullptr;
      loops.front()->walk([&](Operation *op) {
        if (op->getName() == convName && !tiled)
          tiled = op;
      });
      if (!tiled)
        return failure();
      t = tiled;
    }
    writeIntoPad(rewriter, loops.front());
  }
  SmallVector<int64_t> par(s.cache), red(s.cache.size(), 0);
  par[*s.parallelDim] = 0;
  for (unsigned d : reductions) {
    red[d] = par[d];
    par[d] = 0;
  }
  t = tileFusingInit(rewriter, *t, par, /*forall=*/false, interchange);
  if (failed(t))
    return failure();
  return tile(rewriter, *t, red);
}

/// Gives the two parts `splitOp` made of a contraction each its own slice of
/// the initial value (a zero fill or a broadcast bias) instead of a slice of
/// the whole one, which tiling then fuses into the parts' thread tiles: the
/// whole result is no longer initialized in a pass of its own before them
/// (a 4 MiB memset for 1024^3), and the first reduction block finds its
/// tile in cache. The parts overwrite all of the result, so it starts from
/// the initial value's own destination.
void initPartsSeparately(RewriterBase &rewriter, TilingInterface head,
                         TilingInterface tail) {
  auto headInit = cast<DestinationStyleOpInterface>(head.getOperation())
                      .getDpsInitOperand(0);
  auto headSlice = headInit->get().getDefiningOp<tensor::ExtractSliceOp>();
  auto init = headSlice ? dyn_cast<OpResult>(headSlice.getSource()) : nullptr;
  auto producer =
      init ? dyn_cast<linalg::LinalgOp>(init.getOwner()) : linalg::LinalgOp();
  if (!producer || producer->getNumResults() != 1 ||
      producer.getNumReductionLoops() != 0 ||
      producer.payloadUsesValueFromOperand(producer.getDpsInitOperand(0)) ||
      !head->hasOneUse())
    return;
  auto headInsert = dyn_cast<tensor::InsertSliceOp>(*head->user_begin());
  auto tailInit = cast<DestinationStyleOpInterface>(tail.getOperation())
                      .getDpsInitOperand(0);
  auto tailSlice = tailInit->get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!headInsert || headInsert.getDest() != init || !tailSlice ||
      tailSlice.getSource() != headInsert.getResult())
    return;
  // The tail's tile of the initial value writes into the tail's slice of
  // the head's result (where the split put it), as the head's does into the
  // whole destination: the result stays one buffer.
  rewriter.setInsertionPointAfter(tailSlice);
  auto wholeTailSlice = tensor::ExtractSliceOp::create(
      rewriter, tailSlice.getLoc(), init, tailSlice.getMixedOffsets(),
      tailSlice.getMixedSizes(), tailSlice.getMixedStrides());
  for (auto [operand, slice, dest] :
       {std::tuple(tailInit, wholeTailSlice, Value(tailSlice)),
        std::tuple(headInit, headSlice, Value())}) {
    rewriter.setInsertionPointAfter(slice);
    FailureOr<TilingResult> own =
        tensor::replaceExtractSliceWithTiledProducer(rewriter, slice, init);
    if (failed(own) || own->tiledOps.size() != 1)
      return;
    auto tiled = cast<DestinationStyleOpInterface>(own->tiledOps.front());
    if (dest)
      rewriter.modifyOpInPlace(tiled,
                               [&] { tiled.getDpsInitOperand(0)->set(dest); });
    rewriter.modifyOpInPlace(operand->getOwner(),
                             [&] { operand->set(own->tiledValues.front()); });
  }
  rewriter.modifyOpInPlace(headInsert, [&] {
    headInsert.getDestMutable().set(producer.getDpsInitOperand(0)->get());
  });
  for (Operation *dead :
       {wholeTailSlice.getOperation(), tailSlice.getOperation(),
        headSlice.getOperation(), producer.getOperation()})
    if (dead->use_empty())
      rewriter.eraseOp(dead);
}

/// The reduction loops of `op`.
SmallVector<unsigned> reductionDims(linalg::LinalgOp op) {
  SmallVector<unsigned> dims;
  op.getReductionDims(dims);
  return dims;
}

/// Tiles a contraction's cache tile `cacheTile` to register tiles `reg`
/// (see tileAndVectorize) and vectorizes them.
LogicalResult tileRegistersAndVectorize(RewriterBase &rewriter,
                                        Operation *cacheTile, const Strategy &s,
                                        ArrayRef<int64_t> reg,
                                        DenseMap<Value, Value> &packed) {
  // Register tiles walk the rows inside the vector dimension, so that one
  // [kc, regCols] panel of the wide operand stays in L1 (or, streamed, in
  // L2) for all the cache tile's rows (BLIS's loop order) instead of coming
  // from further out per row block.
  SmallVector<int64_t> order = {*s.wideDim};
  for (int64_t d = 0, e = reg.size(); d < e; ++d)
    if (d != *s.wideDim)
      order.push_back(d);
  FailureOr<Operation *> regTile = failure();
  if (s.streamsPanels) {
    // The register tile's initial value (a zero fill, a broadcast bias) is
    // fused into it: the accumulators start in registers instead of from
    // a tile of the result written just before.
    SmallVector<int64_t> outer(reg), steps(reg.size(), 0);
    for (unsigned k : reductionDims(cast<linalg::LinalgOp>(cacheTile))) {
      steps[k] = outer[k];
      outer[k] = 0;
    }
    FailureOr<Operation *> t =
        tileFusingInit(rewriter, cacheTile, outer, /*forall=*/false, order);
    if (failed(t))
      return failure();
    auto dps = cast<DestinationStyleOpInterface>(*t);
    if (auto init =
            dps.getDpsInitOperand(0)->get().getDefiningOp<linalg::LinalgOp>()) {
      rewriter.setInsertionPoint(init);
      FailureOr<linalg::VectorizationResult> v =
          linalg::vectorize(rewriter, init);
      if (succeeded(v))
        rewriter.replaceOp(init, v->replacements);
    }
    regTile = tile(rewriter, *t, steps);
  } else {
    regTile = tile(rewriter, cacheTile, reg, /*forall=*/false, order);
  }
  if (failed(regTile))
    return failure();
  // Constant weights whose rows run along the vector dimension are packed
  // into blocks of the register tile's width.
  auto regOp = cast<linalg::LinalgOp>(*regTile);
  for (OpOperand *in : regOp.getDpsInputOperands()) {
    AffineMap map = regOp.getMatchingIndexingMap(in);
    if (map.getNumResults() &&
        map.getResults().back() ==
            getAffineDimExpr(*s.wideDim, rewriter.getContext()))
      packLastDim(rewriter, regOp, in->getOperandNumber(), reg[*s.wideDim],
                  packed);
  }
  rewriter.setInsertionPoint(*regTile);
  FailureOr<linalg::VectorizationResult> v =
      linalg::vectorize(rewriter, *regTile);
  if (failed(v))
    return failure();
  rewriter.replaceOp(*regTile, v->replacements);
  return success();
}

/// Tiles contraction `op` by strategy `s` (threads, cache tiles, register
/// tiles) and vectorizes its register tile; constant wide operands are
/// packed (`packed` caches them). The fill and elementwise consumers fused
/// into the threads' tiles are appended to `epilogue`, to vectorize.
LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op,
                               const Strategy &s,
                               DenseMap<Value, Value> &packed,
                               SmallVectorImpl<Operation *> &epilogue) {
  Operation *target = op;
  SmallVector<int64_t> cache(s.cache);
  if (s.parallelDim) {
    // Each thread's tile zero-fills (or broadcasts the bias into) its own
    // part of the result and applies the elementwise consumers (bias, ReLU,
    // residual add) to it while it is in cache, instead of separate passes
    // over the whole result before and after.
    SmallVector<int64_t> sizes(cache.size(), 0);
    sizes[*s.parallelDim] = cache[*s.parallelDim];
    SmallVector<LoopLikeOpInterface> loops;
    FailureOr<Operation *> t = tileFusingInit(rewriter, target, sizes,
                                              /*forall=*/true, {}, &loops);
    if (failed(t))
      return failure();
    target = *t;
    if (loops.size() == 1) {
      (void)fuseEpilogue(rewriter, loops.front(), /*broadcasts=*/true);
      // The fused loop is a new op: find the contraction tile again, and
      // the fused initial value and consumers, which are vectorized by rows.
      Operation *tiled = nullptr;
      loops.front()->walk([&](linalg::LinalgOp l) {
        if (linalg::isaContractionOpInterface(l))
          tiled = tiled ? tiled : l.getOperation();
        else
          epilogue.push_back(l);
      });
      if (!tiled)
        return failure();
      target = tiled;
    }
    cache[*s.parallelDim] = 0;
  }
  FailureOr<Operation *> cacheTile =
      s.streamsPanels
          ? tileFusingInit(rewriter, target, cache, /*forall=*/false)
          : tile(rewriter, target, cache);
  if (failed(cacheTile))
    return failure();
  // The cache tile's last rows, if its register tiles leave some, are a
  // register tile of their own.
  SmallVector<std::pair<Operation *, SmallVector<int64_t>>> parts = {
      {*cacheTile, s.reg}};
  if (s.tailRows) {
    int64_t rows = s.cache[*s.rowDim];
    rewriter.setInsertionPoint(*cacheTile);
    auto [head, tail] =
        linalg::splitOp(rewriter, cast<TilingInterface>(*cacheTile), *s.rowDim,
                        rewriter.getIndexAttr(rows - s.tailRows));
    if (!head || !tail)
      return failure();
    initPartsSeparately(rewriter, head, tail);
    SmallVector<int64_t> tailReg(s.reg);
    tailReg[*s.rowDim] = s.tailRows;
    parts = {{head, s.reg}, {tail, tailReg}};
  }
  for (auto &[part, reg] : parts)
    if (failed(tileRegistersAndVectorize(rewriter, part, s, reg, packed)))
      return failure();
  return success();
}

/// Depthwise NHWC convolution (loops n, oh, ow, c, kh, kw): register tiles
/// of `ow` pixels by `c` channels, threads over output rows; kh tiled to 1
/// leaves a 1-D depthwise convolution whose kw taps upstream unrolls.
std::optional<Strategy>
chooseDepthwiseTiles(linalg::DepthwiseConv2DNhwcHwcOp conv, Simd simd) {
  SmallVector<int64_t> r =
      cast<linalg::LinalgOp>(conv.getOperation()).getStaticLoopRanges();
  if (r.size() != 6 || llvm::any_of(r, ShapedType::isDynamic))
    return std::nullopt;
  Strategy s;
  int64_t cTile = kiln::pow2Tile(r[3], 4 * simd.lanes);
  int64_t owTile = dividingTile(
      r[2], std::max<int64_t>(simd.accumulatorFloats() / cTile, 1), 1);
  s.cache = {1, 1, owTile, cTile, 1, 0};
  s.reg = s.cache;
  s.parallelDim = 1;
  return s;
}

/// Replaces a zero-padding of an f32 constant by the padded constant.
void padConstant(RewriterBase &rewriter, tensor::PadOp pad) {
  std::optional<SmallVector<float>> values =
      kiln::getConstantF32(pad.getSource());
  RankedTensorType from = pad.getSourceType(), to = pad.getResultType();
  if (!values || !to.hasStaticShape() || !from.hasStaticShape() ||
      llvm::any_of(pad.getStaticLow(), [](int64_t l) { return l != 0; }))
    return;
  Value padValue = pad.getConstantPaddingValue();
  FloatAttr zero;
  if (!padValue || !matchPattern(padValue, m_Constant(&zero)) ||
      !zero.getValue().isZero())
    return;
  SmallVector<float> padded(to.getNumElements(), 0.0f);
  int64_t rank = from.getRank();
  SmallVector<int64_t> idx(rank, 0);
  for (float v : *values) {
    int64_t flat = 0;
    for (int64_t d = 0; d < rank; ++d)
      flat = flat * to.getDimSize(d) + idx[d];
    padded[flat] = v;
    for (int64_t d = rank - 1; d >= 0 && ++idx[d] == from.getDimSize(d); --d)
      idx[d] = 0;
  }
  rewriter.setInsertionPoint(pad);
  rewriter.replaceOpWithNewOp<arith::ConstantOp>(
      pad, kiln::createF32Attr(pad, to, padded, "padded_weight"));
}

/// The output's innermost loop, padded to a multiple of the vector lanes:
/// odd spatial sizes (7x7 = 49, 14x14 = 196) then run on whole vector
/// registers for a few percent of padded work, instead of odd-width vectors
/// that LLVM splits into scalar pieces. To a multiple of a register tile's
/// row (`cols`) when that adds at most 1/16 of the work: a classifier's
/// 1000 outputs as 1024 take tiles of 4 vectors, 4 independent FMA chains,
/// where 1008 = 16 * 63 took 1-vector tiles, one chain at FMA latency.
linalg::LinalgOp padVectorDim(RewriterBase &rewriter, linalg::LinalgOp op,
                              int64_t lanes, int64_t cols) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  AffineMap outMap = op.getIndexingMapMatchingResult(op->getResult(0));
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last || ShapedType::isDynamic(ranges[last.getPosition()]))
    return op;
  int64_t n = ranges[last.getPosition()];
  int64_t multiple =
      n > cols && (static_cast<int64_t>(llvm::alignTo(n, cols)) - n) * 16 <= n
          ? cols
          : lanes;
  if (n % multiple == 0 || n < lanes)
    return op;
  linalg::LinalgPaddingOptions options;
  options.setPaddingDimensions({(int64_t)last.getPosition()});
  options.setPadToMultipleOf({multiple});
  SmallVector<Attribute> zeros;
  for (OpOperand &operand : op->getOpOperands())
    zeros.push_back(
        rewriter.getZeroAttr(getElementTypeOrSelf(operand.get().getType())));
  options.setPaddingValues(zeros);
  options.setCopyBackOp(linalg::LinalgPaddingOptions::CopyBackOp::None);
  linalg::LinalgOp padded;
  SmallVector<Value> replacements;
  SmallVector<tensor::PadOp> pads;
  rewriter.setInsertionPoint(op);
  if (failed(linalg::rewriteAsPaddedOp(rewriter, op, options, padded,
                                       replacements, pads)))
    return op;
  // Constant operands (weights) are padded now, not on every run.
  for (tensor::PadOp pad : pads)
    padConstant(rewriter, pad);
  rewriter.replaceOp(op, replacements);
  return padded;
}

/// Splits the last rows off a contraction whose register tiles are full
/// width but whose rows `regRows` does not divide (1024 = 1020 + 4),
/// when the rest makes balanced cache tiles of `regRows`-row tiles: the few
/// rows left are one register tile of their own. Returns the parts (just
/// `op` when it is not split).
SmallVector<linalg::LinalgOp> splitRows(RewriterBase &rewriter,
                                        linalg::LinalgOp op, int64_t regRows,
                                        int64_t regCols, int64_t kc,
                                        Simd simd) {
  std::optional<Strategy> s = chooseTiles(op, regRows, regCols, kc, simd);
  if (!s || !s->rowDim || s->reg[*s->wideDim] != regCols || s->streamsPanels)
    return {op};
  int64_t m = op.getStaticLoopRanges()[*s->rowDim];
  if (m % regRows == 0 || m < regRows ||
      !balancedRowTiles((m - m % regRows) / regRows))
    return {op};
  rewriter.setInsertionPoint(op);
  auto [head, tail] =
      linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                      *s->rowDim, rewriter.getIndexAttr(m - m % regRows));
  if (!head || !tail)
    return {op};
  initPartsSeparately(rewriter, head, tail);
  return {cast<linalg::LinalgOp>(head.getOperation()),
          cast<linalg::LinalgOp>(tail.getOperation())};
}

/// "cache [..] reg [..] threads dN" over the op's loops, for the report.
std::string describe(const Strategy &s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto list = [&](ArrayRef<int64_t> v) {
    os << "[";
    llvm::interleave(v, os, ",");
    os << "]";
  };
  os << "cache ";
  list(s.cache);
  os << " reg ";
  list(s.reg);
  if (s.tailRows)
    os << " + " << s.tailRows << "-row tail";
  if (s.parallelDim)
    os << " threads d" << *s.parallelDim;
  return out;
}

struct TileAndVectorizePass
    : kiln::impl::TileAndVectorizePassBase<TileAndVectorizePass> {
  using TileAndVectorizePassBase::TileAndVectorizePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    // Decisions per ONNX node, which the compile report prints.
    llvm::StringMap<std::string> decisions;
    auto record = [&](Location loc, StringRef decision) {
      if (std::optional<std::string> name = kiln::firstNodeName(loc)) {
        std::string &d = decisions[*name];
        d += (d.empty() ? "" : "; ") + decision.str();
      }
    };
    if (stage != "all" && stage != "convolutions" && stage != "contractions") {
      func.emitError() << "kiln-cpu-tile-and-vectorize: unknown stage '"
                       << stage
                       << "' (expected all, convolutions or contractions)";
      return signalPassFailure();
    }
    IRRewriter rewriter(ctx);
    if (stage != "contractions")
      tileConvolutions(rewriter, record);
    if (stage != "convolutions")
      tileContractions(rewriter, record);
    // The report's decisions, after those of an earlier stage (a Winograd
    // conv's transforms, then its batched matmul).
    if (!decisions.empty()) {
      SmallVector<NamedAttribute> attrs;
      Builder b(ctx);
      if (auto old = func->getAttrOfType<DictionaryAttr>("kiln.tiles"))
        for (NamedAttribute a : old) {
          auto it = decisions.find(a.getName().strref());
          if (it == decisions.end())
            attrs.push_back(a);
          else if (auto text = dyn_cast<StringAttr>(a.getValue()))
            it->second = text.str() + "; " + it->second;
        }
      for (auto &[name, d] : decisions)
        attrs.push_back(b.getNamedAttr(name, b.getStringAttr(d)));
      func->setAttr("kiln.tiles", b.getDictionaryAttr(attrs));
    }
  }

  using Record = llvm::function_ref<void(Location, StringRef)>;

  Simd simd() const { return {vectorBits / 32, vectorRegisters}; }

  /// Direct NHWC and depthwise convolutions, tiled down to 1-D ones.
  void tileConvolutions(IRRewriter &rewriter, Record record) {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    DenseMap<Value, Value> packed;
    SmallVector<Operation *> epilogue;
    SmallVector<linalg::LinalgOp> convs;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv2DNhwcHwcfOp, linalg::DepthwiseConv2DNhwcHwcOp>(op) &&
          op.hasPureTensorSemantics() &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        convs.push_back(op);
    });
    // Inputs grow for Winograd tile grids before their producers are tiled
    // to write into them.
    if (winograd)
      for (linalg::LinalgOp op : convs)
        if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation()))
          kiln::padWinogradInput(rewriter, conv);
    for (linalg::LinalgOp op : convs) {
      Location loc = op.getLoc();
      if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation())) {
        FailureOr<scf::ForallOp> forall = failure();
        if (winograd)
          forall = kiln::winogradConv2D(rewriter, conv);
        if (succeeded(forall)) {
          int64_t tiles = forall->getStaticUpperBound()[0];
          LoopLikeOpInterface loop = *forall;
          llvm::append_range(epilogue, fuseEpilogue(rewriter, loop));
          writeIntoPad(rewriter, loop);
          record(loc,
                 llvm::formatv("winograd F(4x4,3x3) {0} tiles", tiles).str());
          continue;
        }
        // Loops n, oh, ow, f, kh, kw, c; register tiles ordered f, oh, ow.
        std::optional<Strategy> s = chooseConvTiles(conv, simd());
        if (!s)
          continue;
        FailureOr<Operation *> tiled = tileConvolution(
            rewriter, conv, *s, {4, 5, 6}, {0, 3, 1, 2, 4, 5, 6}, epilogue);
        if (failed(tiled))
          continue;
        packLastDim(rewriter, *tiled, /*idx=*/1, s->cache[3], packed);
        record(loc, "nhwc " + describe(*s));
        continue;
      }
      // Loops n, oh, ow, c, kh, kw; the kw taps stay in the 1-D conv.
      auto conv = cast<linalg::DepthwiseConv2DNhwcHwcOp>(op.getOperation());
      std::optional<Strategy> s = chooseDepthwiseTiles(conv, simd());
      if (s &&
          succeeded(tileConvolution(rewriter, conv, *s, {4}, {}, epilogue)))
        record(loc, "depthwise " + describe(*s));
    }
    for (Operation *op : epilogue)
      (void)kiln::vectorizeRows(rewriter, cast<linalg::LinalgOp>(op));
    {
      RewritePatternSet patterns(ctx);
      linalg::populateDecomposeConvolutionPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> conv1ds;
    // The 1-D convs, and the fused initial values of their accumulators
    // (fills, broadcast biases), which are now register-tile sized.
    func.walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<scf::ForOp>() || !op.hasPureTensorSemantics())
        return;
      if (isa<linalg::Conv1DNwcWcfOp, linalg::DepthwiseConv1DNwcWcOp>(op) ||
          (isa<linalg::FillOp, linalg::GenericOp>(op) &&
           op.getNumReductionLoops() == 0 &&
           llvm::none_of(op.getStaticLoopRanges(), ShapedType::isDynamic)))
        conv1ds.push_back(op);
    });
    for (linalg::LinalgOp op : conv1ds) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> v =
          linalg::vectorize(rewriter, op);
      if (succeeded(v))
        rewriter.replaceOp(op, v->replacements);
    }
    if (failed(kiln::unrollToPow2Widths(func, simd().lanes)))
      return signalPassFailure();
  }

  /// Leftover NCHW convolutions as im2col + matmul, and every contraction.
  void tileContractions(IRRewriter &rewriter, Record record) {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    DenseMap<Value, Value> packed;
    // Convolutions (by location) before im2col turns them into matmuls.
    DenseSet<Location> im2colLocs;
    func.walk([&](linalg::LinalgOp op) {
      if (linalg::isaConvolutionOpInterface(op))
        im2colLocs.insert(op.getLoc());
    });
    // NCHW convolutions left (non-constant filters) become im2col + matmul.
    SmallVector<linalg::Conv2DNchwFchwOp> nchw;
    func.walk([&](linalg::Conv2DNchwFchwOp op) { nchw.push_back(op); });
    for (linalg::Conv2DNchwFchwOp op : nchw) {
      rewriter.setInsertionPoint(op);
      (void)linalg::rewriteInIm2Col(rewriter, op);
    }

    SmallVector<linalg::LinalgOp> targets;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && op->getNumResults() == 1 &&
          linalg::isaContractionOpInterface(op) &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        targets.push_back(op);
    });

    // Register tiles span 4 vectors with 32 registers, 2 with 16.
    Simd target = simd();
    int64_t cols = registerCols ? registerCols : target.rowFloats();
    SmallVector<linalg::LinalgOp> parts;
    SmallVector<Operation *> epilogue;
    for (linalg::LinalgOp op : targets)
      llvm::append_range(
          parts,
          splitRows(rewriter, padVectorDim(rewriter, op, target.lanes, cols),
                    registerRows, cols, reductionTile, target));
    for (linalg::LinalgOp op : parts) {
      std::optional<Strategy> s =
          chooseTiles(op, registerRows, cols, reductionTile, target);
      // An op we cannot tile stays as is and becomes loops later.
      if (s && succeeded(tileAndVectorize(rewriter, op, *s, packed, epilogue)))
        record(op.getLoc(),
               (im2colLocs.contains(op.getLoc()) ? "im2col " : "") +
                   describe(*s));
    }
    for (Operation *op : epilogue)
      (void)kiln::vectorizeRows(rewriter, cast<linalg::LinalgOp>(op));
    // Top-level pads (a conv's padded input) become a fill and an
    // insert_slice, so that empty-tensor elimination can let the producer
    // write straight into the padded buffer.
    {
      SmallVector<Operation *> pads;
      for (auto pad : func.getBody().getOps<tensor::PadOp>())
        pads.push_back(pad);
      RewritePatternSet padPatterns(ctx);
      linalg::populateDecomposePadPatterns(padPatterns);
      if (failed(applyOpPatternsGreedily(pads, std::move(padPatterns))))
        return signalPassFailure();
    }
    RewritePatternSet patterns(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
