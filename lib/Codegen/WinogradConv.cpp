//===- WinogradConv.cpp - Winograd F(4x4, 3x3) convolutions ---------------===//
//
// Y = A^T [(G g G^T) . (B^T d B)] A per 4x4 output tile (Lavin & Gray): the
// 3x3 filter g and the tile's 6x6 input window d meet in 36 elementwise
// products per channel pair, which summed over the input channels are 36
// matmuls of [tiles, C] x [C, F] -- 36 / (16 * 9) of the direct form's
// multiplies. The transforms are linear maps with small constant
// coefficients, emitted as vector adds and FMAs on 16 channels at a time
// (zero coefficients skipped), so they cost a few percent of the matmuls.
//
//===----------------------------------------------------------------------===//

#include "WinogradConv.h"

#include "Kiln/Transforms/WeightUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include <array>

using namespace mlir;

namespace {
constexpr int64_t kTile = 4, kAlpha = 6, kWindow = kAlpha * kAlpha, kLanes = 16;
// The F(4x4, 3x3) transforms.
using Row = std::array<double, kAlpha>;
constexpr std::array<Row, kAlpha> kBT = {{{4, 0, -5, 0, 1, 0},
                                          {0, -4, -4, 1, 1, 0},
                                          {0, 4, -4, -1, 1, 0},
                                          {0, -2, -1, 2, 1, 0},
                                          {0, 2, -1, -2, 1, 0},
                                          {0, 4, 0, -5, 0, 1}}};
constexpr double kG[kAlpha][3] = {{1.0 / 4, 0, 0},
                                  {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                  {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                  {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                  {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                  {0, 0, 1}};
constexpr std::array<Row, kTile> kAT = {{{1, 1, 1, 1, 1, 0},
                                         {0, 1, -1, 2, -2, 0},
                                         {0, 1, 1, 4, 4, 0},
                                         {0, 1, -1, 8, -8, 1}}};

/// Strides, dilations all one.
bool allOnes(DenseIntElementsAttr attr) {
  return llvm::all_of(attr, [](const APInt &v) { return v.isOne(); });
}

/// sum_k coeffs[k] * xs[k], without the zero terms; unit coefficients are
/// adds and subtractions.
Value combine(OpBuilder &b, Location loc, ArrayRef<double> coeffs,
              ArrayRef<Value> xs) {
  auto splat = [&](Type type, double c) -> Value {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(cast<ShapedType>(type),
                               ArrayRef<float>{static_cast<float>(c)}));
  };
  Value acc;
  for (auto [c, x] : llvm::zip_equal(coeffs, xs)) {
    if (c == 0)
      continue;
    if (!acc)
      acc = c == 1    ? x
            : c == -1 ? arith::NegFOp::create(b, loc, x).getResult()
                      : arith::MulFOp::create(b, loc, x, splat(x.getType(), c))
                            .getResult();
    else if (c == 1)
      acc = arith::AddFOp::create(b, loc, acc, x);
    else if (c == -1)
      acc = arith::SubFOp::create(b, loc, acc, x);
    else
      acc = vector::FMAOp::create(b, loc, x, splat(x.getType(), c), acc);
  }
  assert(acc && "a transform row without a nonzero coefficient");
  return acc;
}

/// L X L^T for an [n, 6] matrix L and a 6x6 grid of values X: the [n, n]
/// grid sum_{i,j} L[a][i] X[i][j] L[b][j], as two passes of combine().
SmallVector<Value> transform(OpBuilder &b, Location loc, ArrayRef<Row> l,
                             ArrayRef<Value> x) {
  SmallVector<Value> rows; // [n][6]
  for (const Row &r : l)
    for (int64_t j = 0; j < kAlpha; ++j) {
      SmallVector<Value> column;
      for (int64_t i = 0; i < kAlpha; ++i)
        column.push_back(x[i * kAlpha + j]);
      rows.push_back(combine(b, loc, r, column));
    }
  SmallVector<Value> out; // [n][n]
  for (size_t a = 0; a < l.size(); ++a)
    for (const Row &r : l)
      out.push_back(
          combine(b, loc, r, ArrayRef<Value>(rows).slice(a * kAlpha, kAlpha)));
  return out;
}

/// Smallest padded tile count >= t whose matmul rows split into cache tiles
/// (the largest divisor up to 64, as the contraction strategy picks them)
/// of whole 4-row register tiles.
int64_t paddedTiles(int64_t t) {
  for (int64_t p = llvm::alignTo(t, 4);; p += 4) {
    int64_t d = std::min<int64_t>(p, 64);
    while (p % d)
      --d;
    if (d % 4 == 0)
      return p;
  }
}

/// The conv's initial value if it is the same for every pixel: a fill, or a
/// broadcast of a 1-D bias along the channels. Returns the value (a scalar,
/// or the [F] bias) and the tensor it was written into.
std::optional<std::pair<Value, Value>> uniformInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return std::make_pair(fill.getInputs()[0], fill.getOutputs()[0]);
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumReductionLoops() != 0)
    return std::nullopt;
  Value bias = generic.getDpsInputOperand(0)->get();
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  AffineMap map = generic.getIndexingMapsArray()[0];
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  if (!biasType || biasType.getRank() != 1 || map.getNumResults() != 1 ||
      map.getResult(0) != getAffineDimExpr(3, init.getContext()) ||
      !generic.getIndexingMapsArray()[1].isIdentity() ||
      yield.getValues()[0] != generic.getBody()->getArgument(0))
    return std::nullopt;
  return std::make_pair(bias, generic.getDpsInitOperand(0)->get());
}

/// The output tile grid, when F(4x4, 3x3) takes the conv (the filter's
/// being a constant is checked when it is read). Output sides that are not
/// multiples of 4 round the grid up: the tiles past the edge compute
/// outputs that are dropped, which needs an initial value that is the same
/// everywhere (a bias), as the grid's output is then a fresh tensor.
std::optional<std::pair<int64_t, int64_t>>
candidateGrid(linalg::Conv2DNhwcHwcfOp conv) {
  auto x = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto w = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto y = dyn_cast<RankedTensorType>(conv->getResult(0).getType());
  if (!x || !w || !y || !x.hasStaticShape() || !w.hasStaticShape() ||
      !y.hasStaticShape() || !y.getElementType().isF32() ||
      !conv.hasPureTensorSemantics())
    return std::nullopt;
  if (!allOnes(conv.getStrides()) || !allOnes(conv.getDilations()))
    return std::nullopt;
  int64_t c = w.getDimSize(2), f = w.getDimSize(3);
  if (x.getDimSize(0) != 1 || w.getDimSize(0) != 3 || w.getDimSize(1) != 3 ||
      c % kLanes || f % kLanes)
    return std::nullopt;
  int64_t oh = y.getDimSize(1), ow = y.getDimSize(2);
  std::pair<int64_t, int64_t> grid = {llvm::divideCeil(oh, kTile),
                                      llvm::divideCeil(ow, kTile)};
  if ((oh % kTile || ow % kTile) && !uniformInit(conv.getOutputs()[0]))
    return std::nullopt;
  // The transformed filters are 4x the direct ones; with few tiles the
  // batched matmul would mostly stream them from memory.
  if (grid.first * grid.second < 16 && kWindow * c * f * 4 > (1 << 20))
    return std::nullopt;
  return grid;
}

/// The zero pad with static sizes that made `x`, used only by its reader,
/// which can grow in place of padding `x` again.
tensor::PadOp growablePad(Value x) {
  auto pad = x.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad->hasOneUse() || pad.getNofold() ||
      llvm::any_of(pad.getStaticLow(), ShapedType::isDynamic) ||
      llvm::any_of(pad.getStaticHigh(), ShapedType::isDynamic))
    return nullptr;
  Value padValue = pad.getConstantPaddingValue();
  return padValue && matchPattern(padValue, m_AnyZeroFloat()) ? pad : nullptr;
}

/// `x` with zeros below and right of it up to `rows` x `cols`; a growable
/// pad that made `x` grows instead, so that its producer still writes
/// straight into the padded buffer.
Value padInput(RewriterBase &rewriter, Location loc, Value x, int64_t rows,
               int64_t cols) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t extraH = std::max<int64_t>(rows - type.getDimSize(1), 0),
          extraW = std::max<int64_t>(cols - type.getDimSize(2), 0);
  if (!extraH && !extraW)
    return x;
  SmallVector<int64_t> low(4, 0), high = {0, extraH, extraW, 0};
  Value source = x;
  tensor::PadOp pad = growablePad(x);
  if (pad) {
    source = pad.getSource();
    low.assign(pad.getStaticLow().begin(), pad.getStaticLow().end());
    for (auto [h, old] : llvm::zip_equal(high, pad.getStaticHigh()))
      h += old;
  }
  SmallVector<int64_t> shape(type.getShape());
  shape[1] += extraH;
  shape[2] += extraW;
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  Value grown = tensor::PadOp::create(
      rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
      source, getAsIndexOpFoldResult(rewriter.getContext(), low),
      getAsIndexOpFoldResult(rewriter.getContext(), high), zero);
  if (pad)
    rewriter.replaceOp(pad, grown);
  return grown;
}
} // namespace

void mlir::kiln::padWinogradInput(RewriterBase &rewriter,
                                  linalg::Conv2DNhwcHwcfOp conv) {
  Value x = conv.getInputs()[0];
  if (!growablePad(x))
    return;
  std::optional<std::pair<int64_t, int64_t>> grid = candidateGrid(conv);
  if (!grid)
    return;
  rewriter.setInsertionPoint(conv);
  (void)padInput(rewriter, conv.getLoc(), x, grid->first * kTile + 2,
                 grid->second * kTile + 2);
}

FailureOr<scf::ForallOp>
mlir::kiln::winogradConv2D(RewriterBase &rewriter,
                           linalg::Conv2DNhwcHwcfOp conv) {
  std::optional<std::pair<int64_t, int64_t>> grid = candidateGrid(conv);
  if (!grid)
    return failure();
  std::optional<SmallVector<float>> g =
      kiln::getConstantF32(conv.getInputs()[1]);
  if (!g)
    return failure();
  Location loc = conv.getLoc();
  auto wType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto yType = cast<RankedTensorType>(conv->getResult(0).getType());
  int64_t c = wType.getDimSize(2), f = wType.getDimSize(3);
  auto [tilesH, tilesW] = *grid;
  int64_t tiles = tilesH * tilesW;
  int64_t padded = paddedTiles(tiles);
  bool exact = tilesH * kTile == yType.getDimSize(1) &&
               tilesW * kTile == yType.getDimSize(2);
  Type f32 = rewriter.getF32Type();
  auto vec = VectorType::get({kLanes}, f32);
  rewriter.setInsertionPoint(conv);
  // Every tile's 6x6 window lies in the input (see padWinogradInput).
  Value x = padInput(rewriter, loc, conv.getInputs()[0], tilesH * kTile + 2,
                     tilesW * kTile + 2);

  // U = G g G^T per (c, f), at compile time: [36, C, F].
  SmallVector<float> u(kWindow * c * f);
  for (int64_t ci = 0; ci < c; ++ci)
    for (int64_t fi = 0; fi < f; ++fi) {
      double gg[3][3], t[kAlpha][3];
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          gg[i][j] = (*g)[((i * 3 + j) * c + ci) * f + fi];
      for (int a = 0; a < kAlpha; ++a)
        for (int j = 0; j < 3; ++j)
          t[a][j] =
              kG[a][0] * gg[0][j] + kG[a][1] * gg[1][j] + kG[a][2] * gg[2][j];
      for (int a = 0; a < kAlpha; ++a)
        for (int bb = 0; bb < kAlpha; ++bb)
          u[((a * kAlpha + bb) * c + ci) * f + fi] =
              t[a][0] * kG[bb][0] + t[a][1] * kG[bb][1] + t[a][2] * kG[bb][2];
    }
  auto uType = RankedTensorType::get({kWindow, c, f}, f32);
  Value uConst = arith::ConstantOp::create(
      rewriter, loc, kiln::createF32Attr(conv, uType, u, "winograd_filter"));

  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
  auto idx = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto plus = [&](OpBuilder &b, Value v, int64_t k) -> Value {
    return k ? arith::AddIOp::create(b, loc, v, idx(b, k)).getResult() : v;
  };
  // Tile t's first row and column, (t / tilesW) * 4 and (t % tilesW) * 4.
  auto origin = [&](OpBuilder &b, Value t) -> std::pair<Value, Value> {
    AffineExpr d0 = b.getAffineDimExpr(0);
    auto apply = [&](AffineExpr e) -> Value {
      return affine::AffineApplyOp::create(b, loc, AffineMap::get(1, 0, e),
                                           ValueRange{t});
    };
    return {apply(d0.floorDiv(tilesW) * kTile), apply((d0 % tilesW) * kTile)};
  };
  // One iteration per tile, writing `sizes` of the shared output at
  // `offsets` (given the tile index) with `body` (given the tile's slice).
  auto perTile =
      [&](Value dest, int64_t count,
          function_ref<SmallVector<OpFoldResult>(OpBuilder &, Value)> offsets,
          ArrayRef<int64_t> sizes,
          function_ref<Value(OpBuilder &, Value, Value)> body) {
        auto forall = scf::ForallOp::create(
            rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(count)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)}, ValueRange{dest},
            std::nullopt);
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointToStart(forall.getBody());
        Value t = forall.getInductionVars()[0];
        Value shared = forall.getRegionIterArgs()[0];
        SmallVector<OpFoldResult> offs = offsets(rewriter, t);
        SmallVector<OpFoldResult> szs =
            getAsIndexOpFoldResult(rewriter.getContext(), sizes);
        SmallVector<OpFoldResult> strides(sizes.size(),
                                          rewriter.getIndexAttr(1));
        Value slice = tensor::ExtractSliceOp::create(rewriter, loc, shared,
                                                     offs, szs, strides);
        Value result = body(rewriter, t, slice);
        rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
        tensor::ParallelInsertSliceOp::create(rewriter, loc, result, shared,
                                              offs, szs, strides);
        return forall;
      };

  // V = B^T d B per tile and 16 channels: [36, T, C].
  Value vInit = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{kWindow, padded, c}, f32);
  scf::ForallOp input = perTile(
      vInit, tiles,
      [&](OpBuilder &b, Value t) -> SmallVector<OpFoldResult> {
        return {b.getIndexAttr(0), t, b.getIndexAttr(0)};
      },
      {kWindow, 1, c},
      [&](OpBuilder &b, Value t, Value slice) -> Value {
        auto [row, col] = origin(b, t);
        auto loop = scf::ForOp::create(
            b, loc, idx(b, 0), idx(b, c), idx(b, kLanes), ValueRange{slice},
            [&](OpBuilder &b, Location, Value cb, ValueRange args) {
              SmallVector<Value> d;
              for (int64_t i = 0; i < kAlpha; ++i)
                for (int64_t j = 0; j < kAlpha; ++j)
                  d.push_back(vector::TransferReadOp::create(
                      b, loc, vec, x,
                      ValueRange{idx(b, 0), plus(b, row, i), plus(b, col, j),
                                 cb},
                      zero, ArrayRef<bool>{true}));
              SmallVector<Value> v = transform(b, loc, kBT, d);
              Value acc = args[0];
              for (int64_t k = 0; k < kWindow; ++k)
                acc =
                    vector::TransferWriteOp::create(
                        b, loc, v[k], acc, ValueRange{idx(b, k), idx(b, 0), cb},
                        ArrayRef<bool>{true})
                        .getResult();
              scf::YieldOp::create(b, loc, acc);
            });
        return loop.getResult(0);
      });
  Value v = input.getResult(0);
  if (padded > tiles) {
    // Rows past the last tile are zeros (not garbage that could be NaN).
    SmallVector<OpFoldResult> offs = {rewriter.getIndexAttr(0),
                                      rewriter.getIndexAttr(tiles),
                                      rewriter.getIndexAttr(0)},
                              szs = {rewriter.getIndexAttr(kWindow),
                                     rewriter.getIndexAttr(padded - tiles),
                                     rewriter.getIndexAttr(c)},
                              strides(3, rewriter.getIndexAttr(1));
    Value rest =
        tensor::ExtractSliceOp::create(rewriter, loc, v, offs, szs, strides);
    Value zeros = linalg::FillOp::create(rewriter, loc, zero, rest).result();
    v = tensor::InsertSliceOp::create(rewriter, loc, zeros, v, offs, szs,
                                      strides);
  }

  // M = V U: [36, T, F].
  auto mType = RankedTensorType::get({kWindow, padded, f}, f32);
  Value mInit = linalg::FillOp::create(rewriter, loc, zero,
                                       tensor::EmptyOp::create(
                                           rewriter, loc, mType.getShape(), f32)
                                           .getResult())
                    .result();
  Value m =
      linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{mType},
                                    ValueRange{v, uConst}, ValueRange{mInit})
          ->getResult(0);

  // Y = init + A^T M A per tile and 16 filters. A uniform initial value (a
  // bias) is read per filter block, so the loop's destination is only
  // written, and can be the fused epilogue's or the next conv's padding.
  Value init = conv.getOutputs()[0];
  std::optional<std::pair<Value, Value>> uniform = uniformInit(init);
  Value dest = uniform ? uniform->second : init;
  if (!exact)
    dest = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{1, tilesH * kTile, tilesW * kTile, f},
        f32);
  scf::ForallOp output = perTile(
      dest, tiles,
      [&](OpBuilder &b, Value t) -> SmallVector<OpFoldResult> {
        auto [row, col] = origin(b, t);
        return {b.getIndexAttr(0), row, col, b.getIndexAttr(0)};
      },
      {1, kTile, kTile, f},
      [&](OpBuilder &b, Value t, Value slice) -> Value {
        auto loop = scf::ForOp::create(
            b, loc, idx(b, 0), idx(b, f), idx(b, kLanes), ValueRange{slice},
            [&](OpBuilder &b, Location, Value fb, ValueRange args) {
              SmallVector<Value> mk;
              for (int64_t k = 0; k < kWindow; ++k)
                mk.push_back(vector::TransferReadOp::create(
                    b, loc, vec, m, ValueRange{idx(b, k), t, fb}, zero,
                    ArrayRef<bool>{true}));
              SmallVector<Value> y = transform(b, loc, kAT, mk);
              Value bias;
              if (uniform && isa<FloatType>(uniform->first.getType()))
                bias = vector::BroadcastOp::create(b, loc, vec, uniform->first);
              else if (uniform)
                bias = vector::TransferReadOp::create(
                    b, loc, vec, uniform->first, ValueRange{fb}, zero,
                    ArrayRef<bool>{true});
              Value acc = args[0];
              for (int64_t i = 0; i < kTile; ++i)
                for (int64_t j = 0; j < kTile; ++j) {
                  SmallVector<Value> pos = {idx(b, 0), idx(b, i), idx(b, j),
                                            fb};
                  Value base = bias ? bias
                                    : vector::TransferReadOp::create(
                                          b, loc, vec, acc, pos, zero,
                                          ArrayRef<bool>{true})
                                          .getResult();
                  Value sum =
                      arith::AddFOp::create(b, loc, base, y[i * kTile + j]);
                  acc = vector::TransferWriteOp::create(b, loc, sum, acc, pos,
                                                        ArrayRef<bool>{true})
                            .getResult();
                }
              scf::YieldOp::create(b, loc, acc);
            });
        return loop.getResult(0);
      });
  Value y = output.getResult(0);
  if (!exact)
    y = tensor::ExtractSliceOp::create(
        rewriter, loc, yType, y,
        getAsIndexOpFoldResult(rewriter.getContext(), {0, 0, 0, 0}),
        getAsIndexOpFoldResult(rewriter.getContext(), yType.getShape()),
        getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, 1}));
  rewriter.replaceOp(conv, y);
  return output;
}
