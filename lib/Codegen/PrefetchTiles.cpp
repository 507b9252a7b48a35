//===- PrefetchTiles.cpp - software prefetch for register-tile loops ------===//
//
// A register tile's reduction loop (a vector.contract accumulating into the
// loop's iter_arg) reads two operands from memory: rows that change with the
// register-tile loop around it (a matmul's A rows), and a panel that stays
// in L1 across that loop and changes with the loop outside it (a packed
// [kc, 64] block of B). When that outer loop moves on, the first register
// tile waits on the new panel streaming from L3 (32 KiB at 4 lines per
// reduction step, faster than L3 delivers); hardware prefetchers start it
// only after the first misses. So each register tile, before its reduction
// loop, prefetches into L2 its share of the panel the next iteration of the
// outer loop reads (the panel's lines split over the register tiles,
// wrapping to the first iteration after the last). Prefetches never fault,
// so a stale address costs a wasted hint, not a wrong result.
//
// A direct convolution's register tile sums over kh, kw and channel blocks,
// reading one packed filter block of up to a few hundred KiB that the loop
// outside the register tiles picks; the first register tile of each block
// streams it all from memory. There every reduction step prefetches its
// share of the next block instead.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_PREFETCHTILESPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

constexpr int64_t kLineBytes = 64;
/// llvm.prefetch's locality hint for L2 (x86 prefetcht1).
constexpr unsigned kToL2 = 2;

struct Bounds {
  int64_t lb, ub, step;
  int64_t trips() const { return llvm::divideCeil(ub - lb, step); }
};

std::optional<Bounds> constantBounds(scf::ForOp loop) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                         ub = getConstantIntValue(loop.getUpperBound()),
                         step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step <= 0 || *ub <= *lb)
    return std::nullopt;
  return Bounds{*lb, *ub, *step};
}

/// Whether `v` is computed from `iv`.
bool dependsOn(Value v, Value iv) {
  SmallVector<Value> work = {v};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (x == iv)
      return true;
    if (!seen.insert(x).second)
      continue;
    if (Operation *def = x.getDefiningOp())
      llvm::append_range(work, def->getOperands());
  }
  return false;
}

/// Recomputes `v` at the builder's insertion point with the values in `map`
/// (loop induction variables) replaced: the pure ops computing it inside
/// `scope` (the reduction loop) or from a replaced value are cloned.
FailureOr<Value> recompute(OpBuilder &b, Value v, IRMapping &map,
                           Operation *scope) {
  if (Value mapped = map.lookupOrNull(v))
    return mapped;
  Operation *def = v.getDefiningOp();
  bool replaced = llvm::any_of(
      map.getValueMap(), [&](auto &kv) { return dependsOn(v, kv.first); });
  if (!replaced && (!def || !scope->isAncestor(def))) {
    if (!def && scope->isAncestor(v.getParentBlock()->getParentOp()))
      return failure();
    return v;
  }
  if (!def || def->getNumRegions() || !isPure(def))
    return failure();
  for (Value operand : def->getOperands())
    if (failed(recompute(b, operand, map, scope)))
      return failure();
  Operation *clone = b.clone(*def, map);
  return clone->getResult(cast<OpResult>(v).getResultNumber());
}

/// The element offsets (along the memref's dimensions) of the cache lines a
/// transfer_read covers: every position of its vector, one per line along
/// the memref's innermost dimension.
std::optional<SmallVector<SmallVector<int64_t>>>
lineOffsets(vector::TransferReadOp read, int64_t lineElems) {
  auto memref = cast<MemRefType>(read.getBase().getType());
  AffineMap perm = read.getPermutationMap();
  ArrayRef<int64_t> shape = read.getVectorType().getShape();
  int64_t rank = memref.getRank();
  SmallVector<std::optional<int64_t>> dimOf;
  for (AffineExpr e : perm.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      dimOf.push_back(d.getPosition());
    else if (isa<AffineConstantExpr>(e))
      dimOf.push_back(std::nullopt); // broadcast
    else
      return std::nullopt;
  }
  SmallVector<SmallVector<int64_t>> out = {SmallVector<int64_t>(rank, 0)};
  for (auto [size, dim] : llvm::zip(shape, dimOf)) {
    if (!dim)
      continue;
    int64_t step = *dim == rank - 1 ? lineElems : 1;
    SmallVector<SmallVector<int64_t>> next;
    for (const SmallVector<int64_t> &o : out)
      for (int64_t i = 0; i < size; i += step) {
        next.push_back(o);
        next.back()[*dim] += i;
      }
    out = std::move(next);
  }
  return out;
}

/// An operand of the register tile and how its next reads are found.
struct Stream {
  vector::TransferReadOp read;
  /// Memref elements between the reads of consecutive reduction steps.
  int64_t kStride;
};

std::optional<Stream> asStream(Value operand, scf::ForOp kLoop) {
  auto read = operand.getDefiningOp<vector::TransferReadOp>();
  if (!read || read->getParentOp() != kLoop)
    return std::nullopt;
  auto memref = dyn_cast<MemRefType>(read.getBase().getType());
  if (!memref || !memref.hasStaticShape() || !memref.getLayout().isIdentity())
    return std::nullopt;
  // The reduction index moves one index of the read, with unit
  // coefficient as tiling leaves it (offset + iv).
  std::optional<int64_t> pos;
  for (auto [i, index] : llvm::enumerate(read.getIndices()))
    if (dependsOn(index, kLoop.getInductionVar())) {
      if (pos)
        return std::nullopt;
      pos = i;
    }
  if (!pos)
    return std::nullopt;
  int64_t stride = 1;
  for (int64_t d = memref.getRank() - 1; d > static_cast<int64_t>(*pos); --d)
    stride *= memref.getDimSize(d);
  return Stream{read, stride};
}

/// Emits L2 prefetches of the lines `s` reads at reduction steps `ks`
/// (values of the reduction loop's induction variable) with the induction
/// variables in `map` replaced.
LogicalResult prefetch(OpBuilder &b, Stream s, scf::ForOp kLoop, IRMapping map,
                       ArrayRef<Value> ks, int64_t lineElems) {
  std::optional<SmallVector<SmallVector<int64_t>>> lines =
      lineOffsets(s.read, lineElems);
  if (!lines)
    return failure();
  Location loc = s.read.getLoc();
  Value iv = kLoop.getInductionVar();
  for (Value k : ks) {
    IRMapping m = map;
    m.map(iv, k);
    SmallVector<Value> base;
    for (Value index : s.read.getIndices()) {
      FailureOr<Value> v = recompute(b, index, m, kLoop);
      if (failed(v))
        return failure();
      base.push_back(*v);
    }
    for (ArrayRef<int64_t> offsets : *lines) {
      SmallVector<Value> indices;
      for (auto [v, o] : llvm::zip(base, offsets))
        indices.push_back(
            o ? arith::AddIOp::create(b, loc, v,
                                      arith::ConstantIndexOp::create(b, loc, o))
              : v);
      memref::PrefetchOp::create(b, loc, s.read.getBase(), indices,
                                 /*isWrite=*/false, kToL2,
                                 /*isDataCache=*/true);
    }
  }
  return success();
}

/// The next iteration's induction variable, wrapping to the first.
Value nextIteration(OpBuilder &b, Location loc, Value iv, const Bounds &r) {
  AffineExpr d0 = b.getAffineDimExpr(0);
  return affine::makeComposedAffineApply(
      b, loc, (d0 - r.lb + r.step) % (r.ub - r.lb) + r.lb, {iv});
}

/// Prefetches for the register tile whose reduction loop holds `contract`;
/// returns whether it found the nest it handles.
bool prefetchTile(vector::ContractionOp contract) {
  auto kLoop = dyn_cast<scf::ForOp>(contract->getParentOp());
  if (!kLoop || kLoop.getNumRegionIterArgs() != 1 ||
      contract.getAcc() != kLoop.getRegionIterArgs().front())
    return false;
  // One contraction per reduction step: a register tile, not an unrolled
  // convolution.
  if (llvm::count_if(kLoop.getBody()->getOperations(), [](Operation &op) {
        return isa<vector::ContractionOp>(op);
      }) != 1)
    return false;
  // The loop around it walks register tiles: it carries no accumulator (a
  // loop that does is another reduction, see prefetchNextBlock).
  auto mLoop = dyn_cast<scf::ForOp>(kLoop->getParentOp());
  if (mLoop && mLoop.getNumRegionIterArgs() != 0)
    return false;
  std::optional<Bounds> kb = constantBounds(kLoop);
  std::optional<Bounds> mb = mLoop ? constantBounds(mLoop) : std::nullopt;
  if (!kb || !mb || mb->trips() < 2)
    return false;
  auto nLoop = dyn_cast<scf::ForOp>(mLoop->getParentOp());
  std::optional<Bounds> nb = nLoop ? constantBounds(nLoop) : std::nullopt;
  if (!nb || nb->trips() < 2)
    return false;
  // Each register tile takes an equal share of the panel's reduction steps
  // (the last ones may take fewer).
  int64_t share = llvm::divideCeil(kb->trips(), mb->trips());

  // The panel: read the same by every register tile, changing with the
  // outer loop. Rows that change with the register-tile loop are left to
  // the hardware: prefetching the next tile's rows into L1 too measured no
  // faster.
  auto reads = [&](Stream s, scf::ForOp loop) {
    return llvm::any_of(s.read.getIndices(), [&](Value i) {
      return dependsOn(i, loop.getInductionVar());
    });
  };
  bool done = false;
  for (Value operand : {contract.getLhs(), contract.getRhs()}) {
    std::optional<Stream> s = asStream(operand, kLoop);
    if (!s || reads(*s, mLoop) || !reads(*s, nLoop))
      continue;
    // Elements of the panel per cache line.
    int64_t bits =
        cast<MemRefType>(s->read.getBase().getType()).getElementTypeBitWidth();
    if (bits % 8 || bits > kLineBytes * 8)
      continue;
    int64_t lineElems = kLineBytes * 8 / bits;
    // Steps of the reduction loop between new lines.
    int64_t kStep = s->kStride * kb->step >= lineElems
                        ? 1
                        : llvm::divideCeil(lineElems, s->kStride * kb->step);
    OpBuilder b(kLoop);
    Location loc = kLoop.getLoc();
    IRMapping map;
    map.map(nLoop.getInductionVar(),
            nextIteration(b, loc, nLoop.getInductionVar(), *nb));
    AffineExpr d0 = b.getAffineDimExpr(0);
    int64_t last = kb->lb + (kb->trips() - 1) * kb->step;
    SmallVector<Value> ks;
    for (int64_t j = 0; j < share; j += kStep) {
      AffineExpr k = (d0 - mb->lb).floorDiv(mb->step) * (share * kb->step) +
                     kb->lb + j * kb->step;
      OpFoldResult step = affine::makeComposedFoldedAffineMin(
          b, loc,
          AffineMap::get(1, 0, {k, b.getAffineConstantExpr(last)},
                         b.getContext()),
          {OpFoldResult(mLoop.getInductionVar())});
      ks.push_back(getValueOrCreateConstantIndexOp(b, loc, step));
    }
    if (succeeded(prefetch(b, *s, kLoop, map, ks, lineElems)))
      done = true;
  }
  return done;
}

/// Blocks the next-block prefetch takes: from 16 KiB (MobileNetV2's 1x1
/// convs at 7x7 read blocks of 20-120 KiB once per run and ran 5% faster in
/// all with them) to two that fit in L2 together with the activations.
constexpr int64_t kMinBlockBytes = 16 << 10;
constexpr int64_t kMaxBlockBytes = 768 << 10;

/// A transfer_read through subviews and reshapes of a root memref.
struct ViewedRead {
  Value root;
  /// The subview taken of the root itself, if any.
  memref::SubViewOp rootView;
  /// What the read's address is computed from: its indices and the views'
  /// dynamic offsets, sizes and strides.
  SmallVector<Value> address;

  /// Whether the address depends on `loop`'s induction variable through
  /// anything but `except`.
  bool movesWith(scf::ForOp loop, Value except) const {
    return llvm::any_of(address, [&](Value x) {
      return x != except && dependsOn(x, loop.getInductionVar());
    });
  }
};

ViewedRead viewedRead(vector::TransferReadOp read) {
  ViewedRead r{read.getBase(), nullptr, SmallVector<Value>(read.getIndices())};
  while (Operation *def = r.root.getDefiningOp()) {
    if (!isa<memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp>(
            def))
      break;
    if (auto view = dyn_cast<memref::SubViewOp>(def))
      r.rootView = view;
    llvm::append_range(r.address, def->getOperands().drop_front());
    r.root = def->getOperand(0);
  }
  return r;
}

/// Prefetches for a register tile summed over a nest of reduction loops (a
/// direct convolution's kh, kw and channel blocks) whose filter operand is
/// one contiguous block of a packed weight, `w[n]` of a
/// `[blocks, ...]` memref, chosen by a loop `n` outside the register-tile
/// loops. Each block is read once from memory when `n` moves on, then from
/// L2 by the other register tiles: at ResNet-18's 7x7 layers the first
/// register tile streamed 590 KiB from DRAM and the convs took 1.5x their
/// time with the weights in cache. So every reduction step
/// prefetches into L2 its share of the next block's lines, the block split
/// evenly over all the steps of all the register tiles that use this one.
void prefetchNextBlock(vector::ContractionOp contract) {
  // The reduction loops carry the accumulators; the register-tile loops
  // around them do not.
  SmallVector<scf::ForOp> kLoops;
  Operation *parent = contract->getParentOp();
  while (auto loop = dyn_cast_or_null<scf::ForOp>(parent)) {
    if (loop.getNumRegionIterArgs() != 1)
      break;
    kLoops.push_back(loop);
    parent = loop->getParentOp();
  }
  if (kLoops.empty())
    return;
  for (Value operand : {contract.getLhs(), contract.getRhs()}) {
    if (auto extract = operand.getDefiningOp<vector::ExtractOp>())
      operand = extract.getSource();
    auto read = operand.getDefiningOp<vector::TransferReadOp>();
    if (!read || !kLoops.front()->isAncestor(read))
      continue;
    ViewedRead r = viewedRead(read);
    memref::SubViewOp first = r.rootView;
    auto type = dyn_cast<MemRefType>(r.root.getType());
    if (!first || first.getStaticSizes().front() != 1 || !type ||
        !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        type.getRank() < 2 || !type.getElementType().isIntOrFloat())
      continue;
    int64_t bits = type.getElementTypeBitWidth();
    if (bits % 8)
      continue;
    int64_t lineElems = kLineBytes * 8 / bits;
    int64_t blockElems = type.getNumElements() / type.getDimSize(0);
    int64_t blockBytes = blockElems * bits / 8;
    if (blockBytes < kMinBlockBytes || blockBytes > kMaxBlockBytes ||
        blockElems % lineElems)
      continue;
    // The filter: the root's outermost index is the only part of the read's
    // address that depends on loops outside the reduction nest.
    auto blockIndex = dyn_cast<Value>(first.getMixedOffsets().front());
    if (!blockIndex)
      continue;
    // Register-tile loops up to the loop `n` that picks the block.
    SmallVector<scf::ForOp> mLoops;
    scf::ForOp nLoop;
    for (Operation *p = kLoops.back()->getParentOp(); p; p = p->getParentOp()) {
      auto loop = dyn_cast<scf::ForOp>(p);
      if (!loop)
        break;
      if (dependsOn(blockIndex, loop.getInductionVar())) {
        nLoop = loop;
        break;
      }
      if (loop.getNumRegionIterArgs() != 0)
        break;
      mLoops.push_back(loop);
    }
    if (!nLoop)
      continue;
    if (llvm::any_of(kLoops,
                     [&](scf::ForOp l) {
                       return dependsOn(blockIndex, l.getInductionVar());
                     }) ||
        r.movesWith(nLoop, blockIndex) ||
        llvm::any_of(mLoops,
                     [&](scf::ForOp l) { return r.movesWith(l, blockIndex); }))
      continue;
    // The reduction steps of all the register tiles, outermost loop first,
    // as one linear step g; each takes `perStep` lines of the next block.
    SmallVector<scf::ForOp> nest(llvm::reverse(mLoops));
    llvm::append_range(nest, llvm::reverse(kLoops));
    SmallVector<Bounds> bounds;
    for (scf::ForOp l : nest) {
      std::optional<Bounds> r = constantBounds(l);
      if (!r)
        break;
      bounds.push_back(*r);
    }
    if (bounds.size() != nest.size())
      continue;
    int64_t steps = 1;
    for (const Bounds &r : bounds)
      steps *= r.trips();
    int64_t lines = blockElems / lineElems;
    int64_t perStep = llvm::divideCeil(lines, steps);

    OpBuilder b = OpBuilder::atBlockBegin(kLoops.front().getBody());
    Location loc = read.getLoc();
    MLIRContext *ctx = b.getContext();
    AffineExpr g = b.getAffineConstantExpr(0);
    SmallVector<Value> ivs;
    for (auto [i, l] : llvm::enumerate(nest)) {
      const Bounds &r = bounds[i];
      g = g * r.trips() + (b.getAffineDimExpr(i) - r.lb).floorDiv(r.step);
      ivs.push_back(l.getInductionVar());
    }
    // The next block, wrapping to the first after the last.
    AffineExpr d0 = b.getAffineDimExpr(0);
    IRMapping map;
    map.map(nLoop.getInductionVar(), affine::makeComposedAffineApply(
                                         b, loc, d0 + b.getAffineSymbolExpr(0),
                                         {OpFoldResult(nLoop.getInductionVar()),
                                          getAsOpFoldResult(nLoop.getStep())}));
    FailureOr<Value> nextIndex = recompute(b, blockIndex, map, nLoop);
    if (failed(nextIndex))
      continue;
    Value next = affine::makeComposedAffineApply(
        b, loc, d0 % type.getDimSize(0), {OpFoldResult(*nextIndex)});
    SmallVector<ReassociationIndices> flat = {{0}, {}};
    for (int64_t d = 1; d < type.getRank(); ++d)
      flat[1].push_back(d);
    Value blocks = memref::CollapseShapeOp::create(b, loc, r.root, flat);
    SmallVector<OpFoldResult> operands(ivs.begin(), ivs.end());
    for (int64_t j = 0; j < perStep; ++j) {
      AffineMap m =
          AffineMap::get(nest.size(), 0,
                         {(g * perStep + j) * lineElems,
                          b.getAffineConstantExpr((lines - 1) * lineElems)},
                         ctx);
      Value offset = getValueOrCreateConstantIndexOp(
          b, loc, affine::makeComposedFoldedAffineMin(b, loc, m, operands));
      memref::PrefetchOp::create(b, loc, blocks, ValueRange{next, offset},
                                 /*isWrite=*/false, kToL2,
                                 /*isDataCache=*/true);
    }
    return;
  }
}

struct PrefetchTilesPass
    : kiln::impl::PrefetchTilesPassBase<PrefetchTilesPass> {
  void runOnOperation() override {
    SmallVector<vector::ContractionOp> contracts;
    getOperation().walk(
        [&](vector::ContractionOp op) { contracts.push_back(op); });
    for (vector::ContractionOp op : contracts)
      if (!prefetchTile(op))
        prefetchNextBlock(op);
  }
};

} // namespace
