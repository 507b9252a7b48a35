//===- KilnToLinalg.cpp - lower kiln ops to linalg on tensors -------------===//
//
// Every kiln op becomes linalg (named ops where upstream has one, so that
// later tiling/vectorization strategies can match them; linalg.generic
// otherwise), tensor, arith and math ops, still on tensors. Shared by the CPU
// and GPU back ends.
//
//===----------------------------------------------------------------------===//

#include "kiln/Conversion/Passes.h"

#include "Kiln/IR/KilnOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_CONVERTKILNTOLINALGPASS
#include "kiln/Conversion/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

TypedAttr scalarAttr(OpBuilder &b, Type type, double value) {
  if (isa<FloatType>(type))
    return b.getFloatAttr(type, value);
  return b.getIntegerAttr(type, static_cast<int64_t>(value));
}

Value scalar(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, scalarAttr(b, type, value));
}

/// Identity for max (-inf or the smallest integer) or min (+inf / largest).
Value extremum(OpBuilder &b, Location loc, Type type, bool lowest) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = lowest ? APInt::getSignedMinValue(width)
                   : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

Value filled(OpBuilder &b, Location loc, RankedTensorType type, Value v) {
  return linalg::FillOp::create(b, loc, v, emptyTensor(b, loc, type))
      .getResult(0);
}

/// Map from the result's iteration space to an operand broadcast numpy-style.
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operand,
                       ArrayRef<int64_t> result) {
  int64_t offset = result.size() - operand.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(operand)) {
    if (d == 1 && result[i + offset] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(result.size(), 0, exprs, ctx);
}

using ScalarFn =
    function_ref<Value(OpBuilder &, Location, ValueRange /*scalars*/)>;

/// linalg.generic computing `fn` elementwise over `inputs` broadcast to
/// `resultType`.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, ScalarFn fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value v : inputs)
    maps.push_back(broadcastMap(ctx,
                                cast<RankedTensorType>(v.getType()).getShape(),
                                resultType.getShape()));
  maps.push_back(AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx));
  SmallVector<IteratorType> iters(resultType.getRank(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, emptyTensor(b, loc, resultType), maps,
             iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value r = fn(nb, nl, args.drop_back());
               linalg::YieldOp::create(nb, nl, r);
             })
      .getResult(0);
}

/// Reshape between static shapes with collapse/expand (through 1-D when the
/// two shapes share no reassociation).
Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType type) {
  auto src = cast<RankedTensorType>(input.getType());
  if (src == type)
    return input;
  if (src.getRank() == 0 || type.getRank() == 0) {
    if (src.getRank() == 0)
      return tensor::ExpandShapeOp::create(b, loc, type, input,
                                           ArrayRef<ReassociationIndices>{});
    return tensor::CollapseShapeOp::create(b, loc, type, input,
                                           ArrayRef<ReassociationIndices>{});
  }
  if (src.getRank() > type.getRank()) {
    if (auto r = getReassociationIndicesForReshape(src, type))
      return tensor::CollapseShapeOp::create(b, loc, type, input, *r);
  } else if (src.getRank() < type.getRank()) {
    if (auto r = getReassociationIndicesForReshape(type, src))
      return tensor::ExpandShapeOp::create(b, loc, type, input, *r);
  }
  auto flat =
      RankedTensorType::get({src.getNumElements()}, src.getElementType());
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, src.getRank()));
  Value collapsed =
      src.getRank() == 1
          ? input
          : tensor::CollapseShapeOp::create(
                b, loc, flat, input, ArrayRef<ReassociationIndices>{all});
  ReassociationIndices allOut =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  if (type.getRank() == 1)
    return collapsed;
  return tensor::ExpandShapeOp::create(b, loc, type, collapsed,
                                       ArrayRef<ReassociationIndices>{allOut});
}

/// Zero-/value-pads the given dims of `input` (begins then ends per dim).
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    shape.push_back(type.getDimSize(i) + low[i] + high[i]);
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(
      b, loc, padded, input, getAsIndexOpFoldResult(b.getContext(), low),
      getAsIndexOpFoldResult(b.getContext(), high), padValue);
}

bool isFloat(Type t) { return isa<FloatType>(getElementTypeOrSelf(t)); }

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = scalar(b, loc, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

Value unaryScalar(Operation *op, OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  return TypeSwitch<Operation *, Value>(op)
      .Case([&](AbsOp) { return math::AbsFOp::create(b, loc, x); })
      .Case([&](CeilOp) { return math::CeilOp::create(b, loc, x); })
      .Case([&](CosOp) { return math::CosOp::create(b, loc, x); })
      .Case([&](ErfOp) { return math::ErfOp::create(b, loc, x); })
      .Case([&](ExpOp) { return math::ExpOp::create(b, loc, x); })
      .Case([&](FloorOp) { return math::FloorOp::create(b, loc, x); })
      .Case([&](LogOp) { return math::LogOp::create(b, loc, x); })
      .Case([&](NegOp) { return arith::NegFOp::create(b, loc, x); })
      .Case([&](ReciprocalOp) {
        return arith::DivFOp::create(b, loc, scalar(b, loc, t, 1.0), x);
      })
      .Case([&](ReluOp) {
        return arith::MaximumFOp::create(b, loc, x, scalar(b, loc, t, 0.0));
      })
      .Case([&](RoundOp) { return math::RoundEvenOp::create(b, loc, x); })
      .Case([&](SigmoidOp) { return sigmoid(b, loc, x); })
      .Case([&](SinOp) { return math::SinOp::create(b, loc, x); })
      .Case([&](SqrtOp) { return math::SqrtOp::create(b, loc, x); })
      .Case([&](TanhOp) { return math::TanhOp::create(b, loc, x); })
      .Case([&](ClipOp clip) {
        Value r = x;
        if (clip.getMin())
          r = arith::MaximumFOp::create(
              b, loc, r, scalar(b, loc, t, clip.getMin()->convertToDouble()));
        if (clip.getMax())
          r = arith::MinimumFOp::create(
              b, loc, r, scalar(b, loc, t, clip.getMax()->convertToDouble()));
        return r;
      })
      .Case([&](LeakyReluOp lr) {
        Value zero = scalar(b, loc, t, 0.0);
        Value neg = arith::MulFOp::create(
            b, loc, x, scalar(b, loc, t, lr.getAlpha().convertToDouble()));
        Value ge =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, zero);
        return arith::SelectOp::create(b, loc, ge, x, neg);
      })
      .Case([&](HardSigmoidOp hs) {
        Value y = arith::AddFOp::create(
            b, loc,
            arith::MulFOp::create(
                b, loc, x, scalar(b, loc, t, hs.getAlpha().convertToDouble())),
            scalar(b, loc, t, hs.getBeta().convertToDouble()));
        y = arith::MinimumFOp::create(b, loc, y, scalar(b, loc, t, 1.0));
        return arith::MaximumFOp::create(b, loc, y, scalar(b, loc, t, 0.0));
      })
      .Default([](Operation *) { return Value(); });
}

template <typename OpTy> struct UnaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r =
        elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                    [&](OpBuilder &b, Location loc, ValueRange args) {
                      return unaryScalar(op, b, loc, args[0]);
                    });
    rewriter.replaceOp(op, r);
    return success();
  }
};

Value castScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  if (toInt && toInt.getWidth() == 1) {
    Value zero = scalar(b, loc, from, 0.0);
    if (fromInt)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
  }
  if (fromInt && toInt) {
    if (fromInt.getWidth() == 1)
      return arith::ExtUIOp::create(b, loc, to, x);
    if (fromInt.getWidth() < toInt.getWidth())
      return arith::ExtSIOp::create(b, loc, to, x);
    return arith::TruncIOp::create(b, loc, to, x);
  }
  if (fromInt) {
    if (fromInt.getWidth() == 1)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  if (toInt)
    return arith::FPToSIOp::create(b, loc, to, x);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type to = op.getType().getElementType();
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return castScalar(b, loc, args[0], to);
                        }));
    return success();
  }
};

Value binaryScalar(Operation *op, OpBuilder &b, Location loc, Value l,
                   Value r) {
  bool f = isFloat(l.getType());
  return TypeSwitch<Operation *, Value>(op)
      .Case([&](AddOp) -> Value {
        return f ? arith::AddFOp::create(b, loc, l, r).getResult()
                 : arith::AddIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](SubOp) -> Value {
        return f ? arith::SubFOp::create(b, loc, l, r).getResult()
                 : arith::SubIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](MulOp) -> Value {
        return f ? arith::MulFOp::create(b, loc, l, r).getResult()
                 : arith::MulIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](DivOp) -> Value {
        return f ? arith::DivFOp::create(b, loc, l, r).getResult()
                 : arith::DivSIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](PowOp) -> Value {
        if (f)
          return math::PowFOp::create(b, loc, l, r);
        return math::IPowIOp::create(b, loc, l, r);
      })
      .Case([&](MaxOp) -> Value {
        return f ? arith::MaximumFOp::create(b, loc, l, r).getResult()
                 : arith::MaxSIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](MinOp) -> Value {
        return f ? arith::MinimumFOp::create(b, loc, l, r).getResult()
                 : arith::MinSIOp::create(b, loc, l, r).getResult();
      })
      .Default([](Operation *) { return Value(); });
}

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r = elementwise(rewriter, op.getLoc(), op.getType(),
                          ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return binaryScalar(op, b, loc, args[0], args[1]);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct WhereLowering : OpConversionPattern<WhereOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op,
        elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getOperands(),
                    [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                      return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
                    }));
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// A linalg.generic contraction over (batch..., m, n, k) with explicit maps.
Value contraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  RankedTensorType resultType, ArrayRef<AffineMap> maps) {
  int64_t loops = maps[0].getNumDims();
  SmallVector<IteratorType> iters(loops - 1, IteratorType::parallel);
  iters.push_back(IteratorType::reduction);
  Value init = filled(b, loc, resultType,
                      scalar(b, loc, resultType.getElementType(), 0.0));
  return linalg::GenericOp::create(
             b, loc, resultType, ValueRange{lhs, rhs}, init, maps, iters,
             [](OpBuilder &nb, Location nl, ValueRange a) {
               Value m = arith::MulFOp::create(nb, nl, a[0], a[1]);
               linalg::YieldOp::create(
                   nb, nl, arith::AddFOp::create(nb, nl, a[2], m).getResult());
             })
      .getResult(0);
}

Value matmul2d(OpBuilder &b, Location loc, Value lhs, Value rhs,
               RankedTensorType resultType) {
  Value init = filled(b, loc, resultType,
                      scalar(b, loc, resultType.getElementType(), 0.0));
  return linalg::MatmulOp::create(b, loc, resultType, ValueRange{lhs, rhs},
                                  init)
      .getResult(0);
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lt = cast<RankedTensorType>(lhs.getType());
    auto rt = cast<RankedTensorType>(rhs.getType());
    RankedTensorType out = op.getType();
    Type et = out.getElementType();
    int64_t m = lt.getDimSize(lt.getRank() - 2), k = lt.getShape().back();
    int64_t n = rt.getShape().back();
    if (!out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    // [..., M, K] x [K, N]: fold the batch into M, one 2-D matmul.
    if (rt.getRank() == 2) {
      int64_t rows = lt.getNumElements() / k;
      auto flatL = RankedTensorType::get({rows, k}, et);
      auto flatO = RankedTensorType::get({rows, n}, et);
      Value r = matmul2d(rewriter, loc, reshapeTo(rewriter, loc, lhs, flatL),
                         rhs, flatO);
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, out));
      return success();
    }
    // Equal batch dims: one linalg.batch_matmul over the collapsed batch.
    if (lt.getShape().drop_back(2) == rt.getShape().drop_back(2)) {
      int64_t batch = out.getNumElements() / (m * n);
      auto bl = RankedTensorType::get({batch, m, k}, et);
      auto br = RankedTensorType::get({batch, k, n}, et);
      auto bo = RankedTensorType::get({batch, m, n}, et);
      Value init = filled(rewriter, loc, bo, scalar(rewriter, loc, et, 0.0));
      Value r = linalg::BatchMatmulOp::create(
                    rewriter, loc, bo,
                    ValueRange{reshapeTo(rewriter, loc, lhs, bl),
                               reshapeTo(rewriter, loc, rhs, br)},
                    init)
                    .getResult(0);
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, out));
      return success();
    }
    // General broadcast: one generic over (batch..., m, n, k).
    MLIRContext *ctx = getContext();
    int64_t rank = out.getRank(), loops = rank + 1;
    auto operandMap = [&](RankedTensorType t, bool isLhs) {
      SmallVector<AffineExpr> exprs;
      int64_t offset = (rank - 2) - (t.getRank() - 2);
      for (int64_t i = 0; i < t.getRank() - 2; ++i)
        exprs.push_back(t.getDimSize(i) == 1 && out.getDimSize(i + offset) != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(i + offset, ctx));
      AffineExpr mE = getAffineDimExpr(rank - 2, ctx),
                 nE = getAffineDimExpr(rank - 1, ctx),
                 kE = getAffineDimExpr(rank, ctx);
      exprs.push_back(isLhs ? mE : kE);
      exprs.push_back(isLhs ? kE : nE);
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps = {
        operandMap(lt, true), operandMap(rt, false),
        AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(rank)};
    rewriter.replaceOp(op, contraction(rewriter, loc, lhs, rhs, out, maps));
    return success();
  }
};

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType out = op.getType();
    Type et = out.getElementType();
    Value acc;
    if (!op.getTransA() && !op.getTransB()) {
      acc = matmul2d(rewriter, loc, adaptor.getA(), adaptor.getB(), out);
    } else {
      AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
                 k = getAffineDimExpr(2, ctx);
      SmallVector<AffineMap> maps = {
          AffineMap::get(3, 0, op.getTransA() ? ArrayRef{k, m} : ArrayRef{m, k},
                         ctx),
          AffineMap::get(3, 0, op.getTransB() ? ArrayRef{n, k} : ArrayRef{k, n},
                         ctx),
          AffineMap::get(3, 0, {m, n}, ctx)};
      acc =
          contraction(rewriter, loc, adaptor.getA(), adaptor.getB(), out, maps);
    }
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<Value> inputs = {acc};
    if (adaptor.getC() && beta != 0.0)
      inputs.push_back(adaptor.getC());
    if (alpha == 1.0 && inputs.size() == 1) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    rewriter.replaceOp(
        op, elementwise(
                rewriter, loc, out, inputs,
                [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                  Value r = a[0];
                  if (alpha != 1.0)
                    r = arith::MulFOp::create(b, l, r, scalar(b, l, et, alpha));
                  if (a.size() == 1)
                    return r;
                  Value c = a[1];
                  if (beta != 1.0)
                    c = arith::MulFOp::create(b, l, c, scalar(b, l, et, beta));
                  return arith::AddFOp::create(b, l, r, c);
                }));
    return success();
  }
};

/// Adds a per-channel (dim 1) bias to `value`.
Value addChannelBias(OpBuilder &b, Location loc, Value value, Value bias) {
  auto type = cast<RankedTensorType>(value.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(type.getRank(), ctx),
      AffineMap::get(type.getRank(), 0, getAffineDimExpr(1, ctx), ctx),
      AffineMap::getMultiDimIdentityMap(type.getRank(), ctx)};
  SmallVector<IteratorType> iters(type.getRank(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{value, bias}, emptyTensor(b, loc, type),
             maps, iters,
             [](OpBuilder &nb, Location nl, ValueRange a) {
               linalg::YieldOp::create(
                   nb, nl,
                   arith::AddFOp::create(nb, nl, a[0], a[1]).getResult());
             })
      .getResult(0);
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    Type et = out.getElementType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto fType = cast<RankedTensorType>(adaptor.getFilter().getType());
    int64_t spatial = inType.getRank() - 2;
    int64_t group = op.getGroup();
    if (!inType.hasStaticShape() || !fType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");

    SmallVector<int64_t> low(2, 0), high(2, 0);
    llvm::append_range(low, op.getPads().take_front(spatial));
    llvm::append_range(high, op.getPads().drop_front(spatial));
    Value input = padTensor(rewriter, loc, adaptor.getInput(), low, high,
                            scalar(rewriter, loc, et, 0.0));
    Value filter = adaptor.getFilter();
    Value init = filled(rewriter, loc, out, scalar(rewriter, loc, et, 0.0));
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    SmallVector<NamedAttribute> attrs = {
        rewriter.getNamedAttr("strides", strides),
        rewriter.getNamedAttr("dilations", dilations)};
    int64_t c = inType.getDimSize(1), f = fType.getDimSize(0);

    Value result;
    if (spatial == 2 && group == 1) {
      result = linalg::Conv2DNchwFchwOp::create(
                   rewriter, loc, out, ValueRange{input, filter}, init, attrs)
                   .getResult(0);
    } else if (spatial == 2 && group == c && f == c) {
      // Depthwise with multiplier 1: filter [C, 1, KH, KW] -> [C, KH, KW].
      auto dwType = RankedTensorType::get(
          {c, fType.getDimSize(2), fType.getDimSize(3)}, et);
      result = linalg::DepthwiseConv2DNchwChwOp::create(
                   rewriter, loc, out,
                   ValueRange{input, reshapeTo(rewriter, loc, filter, dwType)},
                   init, attrs)
                   .getResult(0);
    } else {
      result = genericConv(rewriter, loc, input, filter, init, op);
    }
    if (adaptor.getBias())
      result = addChannelBias(rewriter, loc, result, adaptor.getBias());
    rewriter.replaceOp(op, result);
    return success();
  }

  /// Any rank and group count: loops (n, g, f/g, out..., c/g, k...).
  static Value genericConv(OpBuilder &b, Location loc, Value input,
                           Value filter, Value init, ConvOp op) {
    MLIRContext *ctx = b.getContext();
    auto inType = cast<RankedTensorType>(input.getType());
    auto fType = cast<RankedTensorType>(filter.getType());
    RankedTensorType out = op.getType();
    Type et = out.getElementType();
    int64_t spatial = inType.getRank() - 2, g = op.getGroup();
    int64_t cg = inType.getDimSize(1) / g, fg = fType.getDimSize(0) / g;
    auto with = [&](ArrayRef<int64_t> shape, int64_t d, int64_t a, int64_t bb) {
      SmallVector<int64_t> s = {shape[0]};
      if (d == 1)
        s = {};
      s.push_back(a);
      s.push_back(bb);
      llvm::append_range(s, shape.drop_front(2));
      return RankedTensorType::get(s, et);
    };
    // input [N, G, C/G, sp...], filter [G, F/G, C/G, k...], out [N, G, F/G,
    // o...]
    auto in5 = with(inType.getShape(), 0, g, cg);
    auto out5 = with(out.getShape(), 0, g, fg);
    SmallVector<int64_t> fShape = {g, fg, cg};
    llvm::append_range(fShape, fType.getShape().drop_front(2));
    auto f5 = RankedTensorType::get(fShape, et);
    // Loops: 0 n, 1 g, 2 fg, [3, 3+spatial) out, 3+spatial cg,
    // [4+spatial, 4+2*spatial) k.
    int64_t loops = 4 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> inE = {d(0), d(1), d(3 + spatial)};
    SmallVector<AffineExpr> fE = {d(1), d(2), d(3 + spatial)};
    SmallVector<AffineExpr> oE = {d(0), d(1), d(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      inE.push_back(d(3 + i) * op.getStrides()[i] +
                    d(4 + spatial + i) * op.getDilations()[i]);
      fE.push_back(d(4 + spatial + i));
      oE.push_back(d(3 + i));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                   AffineMap::get(loops, 0, fE, ctx),
                                   AffineMap::get(loops, 0, oE, ctx)};
    SmallVector<IteratorType> iters(3 + spatial, IteratorType::parallel);
    iters.append(1 + spatial, IteratorType::reduction);
    Value r =
        linalg::GenericOp::create(
            b, loc, out5,
            ValueRange{reshapeTo(b, loc, input, in5),
                       reshapeTo(b, loc, filter, f5)},
            reshapeTo(b, loc, init, out5), maps, iters,
            [](OpBuilder &nb, Location nl, ValueRange a) {
              Value m = arith::MulFOp::create(nb, nl, a[0], a[1]);
              linalg::YieldOp::create(
                  nb, nl, arith::AddFOp::create(nb, nl, a[2], m).getResult());
            })
            .getResult(0);
    return reshapeTo(b, loc, r, out);
  }
};

//===----------------------------------------------------------------------===//
// Normalization, pooling, softmax, reductions
//===----------------------------------------------------------------------===//

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    MLIRContext *ctx = getContext();
    int64_t rank = type.getRank();
    double eps = op.getEpsilon().convertToDouble();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap ch = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx), ctx);
    SmallVector<AffineMap> maps = {id, ch, ch, ch, ch, id};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Location loc = op.getLoc();
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, type,
            ValueRange{adaptor.getInput(), adaptor.getScale(),
                       adaptor.getBias(), adaptor.getMean(),
                       adaptor.getVariance()},
            emptyTensor(rewriter, loc, type), maps, iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Type et = a[0].getType();
              Value inv = math::RsqrtOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, a[4], scalar(b, l, et, eps)));
              Value y = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, a[0], a[3]),
                  arith::MulFOp::create(b, l, inv, a[1]));
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, y, a[2]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

enum class ReduceKind { Sum, Max, Min, Prod };

/// Reduces `input` over `reduced` dims into a tensor without them.
Value reduce(OpBuilder &b, Location loc, Value input,
             const llvm::SmallBitVector &reduced, ReduceKind kind) {
  auto type = cast<RankedTensorType>(input.getType());
  Type et = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outE;
  SmallVector<IteratorType> iters;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    iters.push_back(reduced[i] ? IteratorType::reduction
                               : IteratorType::parallel);
    if (!reduced[i]) {
      shape.push_back(type.getDimSize(i));
      outE.push_back(getAffineDimExpr(i, ctx));
    }
  }
  auto outType = RankedTensorType::get(shape, et);
  Value initV;
  switch (kind) {
  case ReduceKind::Sum:
    initV = scalar(b, loc, et, 0.0);
    break;
  case ReduceKind::Prod:
    initV = scalar(b, loc, et, 1.0);
    break;
  case ReduceKind::Max:
    initV = extremum(b, loc, et, /*lowest=*/true);
    break;
  case ReduceKind::Min:
    initV = extremum(b, loc, et, /*lowest=*/false);
    break;
  }
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(type.getRank(), ctx),
      AffineMap::get(type.getRank(), 0, outE, ctx)};
  bool f = isa<FloatType>(et);
  return linalg::GenericOp::create(
             b, loc, outType, input, filled(b, loc, outType, initV), maps,
             iters,
             [&](OpBuilder &nb, Location nl, ValueRange a) {
               Value r;
               switch (kind) {
               case ReduceKind::Sum:
                 r = f ? arith::AddFOp::create(nb, nl, a[1], a[0]).getResult()
                       : arith::AddIOp::create(nb, nl, a[1], a[0]).getResult();
                 break;
               case ReduceKind::Prod:
                 r = f ? arith::MulFOp::create(nb, nl, a[1], a[0]).getResult()
                       : arith::MulIOp::create(nb, nl, a[1], a[0]).getResult();
                 break;
               case ReduceKind::Max:
                 r = f ? arith::MaximumFOp::create(nb, nl, a[1], a[0])
                             .getResult()
                       : arith::MaxSIOp::create(nb, nl, a[1], a[0]).getResult();
                 break;
               case ReduceKind::Min:
                 r = f ? arith::MinimumFOp::create(nb, nl, a[1], a[0])
                             .getResult()
                       : arith::MinSIOp::create(nb, nl, a[1], a[0]).getResult();
                 break;
               }
               linalg::YieldOp::create(nb, nl, r);
             })
      .getResult(0);
}

/// The shape `type` with the `reduced` dims kept as size 1.
RankedTensorType keptDims(RankedTensorType type,
                          const llvm::SmallBitVector &reduced) {
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (reduced[i])
      shape[i] = 1;
  return RankedTensorType::get(shape, type.getElementType());
}

template <typename OpTy> struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    llvm::SmallBitVector reduced(type.getRank(), op.getAxes().empty());
    int64_t count = 1;
    for (int64_t a : op.getAxes())
      reduced.set(a);
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (reduced[i])
        count *= type.getDimSize(i);
    ReduceKind kind = ReduceKind::Sum;
    if (isa<ReduceMaxOp>(op))
      kind = ReduceKind::Max;
    else if (isa<ReduceMinOp>(op))
      kind = ReduceKind::Min;
    else if (isa<ReduceProdOp>(op))
      kind = ReduceKind::Prod;
    Value r = reduce(rewriter, loc, adaptor.getInput(), reduced, kind);
    if (isa<ReduceMeanOp>(op)) {
      auto rt = cast<RankedTensorType>(r.getType());
      Type et = rt.getElementType();
      r = elementwise(rewriter, loc, rt, r,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        Value n = scalar(b, l, et, (double)count);
                        if (isa<FloatType>(et))
                          return arith::DivFOp::create(b, l, a[0], n);
                        return arith::DivSIOp::create(b, l, a[0], n);
                      });
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, op.getType()));
    return success();
  }
};

/// Broadcasts `reduced` (the input shape without `dims`) back along them by
/// computing fn(x, r) over the full shape.
Value withReduced(OpBuilder &b, Location loc, Value x, Value reducedV,
                  const llvm::SmallBitVector &dims, ScalarFn fn) {
  auto type = cast<RankedTensorType>(x.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> rE;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!dims[i])
      rE.push_back(getAffineDimExpr(i, ctx));
  AffineMap id = AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
  SmallVector<AffineMap> maps = {id, AffineMap::get(type.getRank(), 0, rE, ctx),
                                 id};
  SmallVector<IteratorType> iters(type.getRank(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{x, reducedV}, emptyTensor(b, loc, type),
             maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange a) {
               linalg::YieldOp::create(nb, nl, fn(nb, nl, a.drop_back()));
             })
      .getResult(0);
}

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    llvm::SmallBitVector dims(op.getType().getRank());
    dims.set(op.getAxis());
    Value mx = reduce(rewriter, loc, x, dims, ReduceKind::Max);
    Value shifted = withReduced(
        rewriter, loc, x, mx, dims, [](OpBuilder &b, Location l, ValueRange a) {
          return arith::SubFOp::create(b, l, a[0], a[1]).getResult();
        });
    Value e = elementwise(rewriter, loc, op.getType(), shifted,
                          [](OpBuilder &b, Location l, ValueRange a) {
                            return math::ExpOp::create(b, l, a[0]).getResult();
                          });
    Value sum = reduce(rewriter, loc, e, dims, ReduceKind::Sum);
    Value r;
    if (op.getLog())
      r = withReduced(rewriter, loc, shifted, sum, dims,
                      [](OpBuilder &b, Location l, ValueRange a) {
                        return arith::SubFOp::create(
                                   b, l, a[0], math::LogOp::create(b, l, a[1]))
                            .getResult();
                      });
    else
      r = withReduced(
          rewriter, loc, e, sum, dims,
          [](OpBuilder &b, Location l, ValueRange a) {
            return arith::DivFOp::create(b, l, a[0], a[1]).getResult();
          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type et = type.getElementType();
    Value x = adaptor.getInput();
    int64_t rank = type.getRank(), axis = op.getAxis();
    llvm::SmallBitVector dims(rank);
    int64_t count = 1;
    for (int64_t i = axis; i < rank; ++i) {
      dims.set(i);
      count *= type.getDimSize(i);
    }
    double eps = op.getEpsilon().convertToDouble();
    auto scaled = [&](Value sum) {
      auto t = cast<RankedTensorType>(sum.getType());
      return elementwise(
          rewriter, loc, t, sum, [&](OpBuilder &b, Location l, ValueRange a) {
            return arith::DivFOp::create(b, l, a[0], scalar(b, l, et, count))
                .getResult();
          });
    };
    Value mean = scaled(reduce(rewriter, loc, x, dims, ReduceKind::Sum));
    Value centered = withReduced(
        rewriter, loc, x, mean, dims,
        [](OpBuilder &b, Location l, ValueRange a) {
          return arith::SubFOp::create(b, l, a[0], a[1]).getResult();
        });
    Value sq = elementwise(
        rewriter, loc, type, centered,
        [](OpBuilder &b, Location l, ValueRange a) {
          return arith::MulFOp::create(b, l, a[0], a[0]).getResult();
        });
    Value var = scaled(reduce(rewriter, loc, sq, dims, ReduceKind::Sum));
    Value inv = elementwise(
        rewriter, loc, cast<RankedTensorType>(var.getType()), var,
        [&](OpBuilder &b, Location l, ValueRange a) {
          return math::RsqrtOp::create(
                     b, l,
                     arith::AddFOp::create(b, l, a[0], scalar(b, l, et, eps)))
              .getResult();
        });
    Value norm = withReduced(
        rewriter, loc, centered, inv, dims,
        [](OpBuilder &b, Location l, ValueRange a) {
          return arith::MulFOp::create(b, l, a[0], a[1]).getResult();
        });
    SmallVector<Value> ins = {norm, adaptor.getScale()};
    if (adaptor.getBias())
      ins.push_back(adaptor.getBias());
    rewriter.replaceOp(
        op, elementwise(rewriter, loc, type, ins,
                        [](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value r = arith::MulFOp::create(b, l, a[0], a[1]);
                          if (a.size() > 2)
                            r = arith::AddFOp::create(b, l, r, a[2]);
                          return r;
                        }));
    return success();
  }
};

/// Max and average pooling of any rank as one linalg.generic over
/// (n, c, out..., k...) on the padded input.
template <typename OpTy> struct PoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    constexpr bool isMax = std::is_same_v<OpTy, MaxPoolOp>;
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();
    RankedTensorType out = op.getType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type et = out.getElementType();
    if (!inType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t spatial = inType.getRank() - 2;
    auto k = op.getKernelShape(), s = op.getStrides(), dl = op.getDilations(),
         pads = op.getPads();
    // Pad far enough for every window, including ceil-mode ones.
    SmallVector<int64_t> low(2, 0), high(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inType.getDimSize(i + 2);
      int64_t need =
          (out.getDimSize(i + 2) - 1) * s[i] + dl[i] * (k[i] - 1) + 1;
      low.push_back(pads[i]);
      high.push_back(std::max<int64_t>(need - in - pads[i], 0));
    }
    Value padV = isMax ? extremum(rewriter, loc, et, true)
                       : scalar(rewriter, loc, et, 0.0);
    Value input = padTensor(rewriter, loc, adaptor.getInput(), low, high, padV);
    int64_t loops = 2 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // A shape-only window operand gives the loops their window extents, as
    // in linalg's named pooling ops.
    SmallVector<AffineExpr> inE = {d(0), d(1)}, oE = {d(0), d(1)}, wE;
    for (int64_t i = 0; i < spatial; ++i) {
      inE.push_back(d(2 + i) * s[i] + d(2 + spatial + i) * dl[i]);
      oE.push_back(d(2 + i));
      wE.push_back(d(2 + spatial + i));
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, k, et);
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                   AffineMap::get(loops, 0, wE, ctx),
                                   AffineMap::get(loops, 0, oE, ctx)};
    SmallVector<IteratorType> iters(2 + spatial, IteratorType::parallel);
    iters.append(spatial, IteratorType::reduction);
    Value init = filled(rewriter, loc, out, padV);
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, ValueRange{input, window}, init, maps, iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value v =
                  isMax
                      ? arith::MaximumFOp::create(b, l, a[2], a[0]).getResult()
                      : arith::AddFOp::create(b, l, a[2], a[0]).getResult();
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    if constexpr (!isMax)
      r = divideByCounts(rewriter, loc, r, op, inType);
    rewriter.replaceOp(op, r);
    return success();
  }

  /// Divides window sums by the number of counted elements per window, a
  /// compile-time constant of shape [out...] (separable per dim).
  static Value divideByCounts(OpBuilder &b, Location loc, Value sums,
                              AvgPoolOp op, RankedTensorType inType) {
    RankedTensorType out = op.getType();
    int64_t spatial = out.getRank() - 2;
    auto k = op.getKernelShape(), s = op.getStrides(), dl = op.getDilations(),
         pads = op.getPads();
    SmallVector<SmallVector<int64_t>> perDim;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inType.getDimSize(i + 2);
      // Counted positions: the input, plus the explicit pads when included.
      int64_t lo = op.getCountIncludePad() ? -pads[i] : 0;
      int64_t hi = op.getCountIncludePad() ? in + pads[i + spatial] : in;
      SmallVector<int64_t> counts;
      for (int64_t o = 0; o < out.getDimSize(i + 2); ++o) {
        int64_t n = 0;
        for (int64_t j = 0; j < k[i]; ++j) {
          int64_t pos = o * s[i] + j * dl[i] - pads[i];
          n += pos >= lo && pos < hi;
        }
        counts.push_back(std::max<int64_t>(n, 1));
      }
      perDim.push_back(counts);
    }
    SmallVector<int64_t> shape(out.getShape().drop_front(2));
    SmallVector<float> values;
    SmallVector<int64_t> idx(spatial, 0);
    int64_t total = 1;
    for (int64_t e : shape)
      total *= e;
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rem = flat;
      float c = 1;
      for (int64_t i = spatial - 1; i >= 0; --i) {
        c *= perDim[i][rem % shape[i]];
        rem /= shape[i];
      }
      values.push_back(c);
    }
    auto countType = RankedTensorType::get(shape, b.getF32Type());
    Value counts = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(countType, ArrayRef<float>(values)));
    return elementwise(b, loc, out, ValueRange{sums, counts},
                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         Value c = castScalar(nb, l, a[1], a[0].getType());
                         return arith::DivFOp::create(nb, l, a[0], c);
                       });
  }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getType().hasStaticShape() ||
        !cast<RankedTensorType>(adaptor.getInput().getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    rewriter.replaceOp(
        op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), op.getType()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value r = linalg::TransposeOp::create(
                  rewriter, loc, adaptor.getInput(),
                  emptyTensor(rewriter, loc, op.getType()), op.getPerm())
                  .getResult()[0];
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    Value r = emptyTensor(rewriter, loc, out);
    int64_t offset = 0, axis = op.getAxis();
    for (Value v : adaptor.getInputs()) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<OpFoldResult> offsets(out.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes,
          strides(out.getRank(), rewriter.getIndexAttr(1));
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += t.getDimSize(axis);
      if (t.getNumElements() == 0)
        continue;
      r = tensor::InsertSliceOp::create(rewriter, loc, v, r, offsets, sizes,
                                        strides);
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    if (llvm::all_of(op.getSteps(), [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t i = 0; i < out.getRank(); ++i) {
        offsets.push_back(rewriter.getIndexAttr(op.getStarts()[i]));
        sizes.push_back(rewriter.getIndexAttr(out.getDimSize(i)));
        strides.push_back(rewriter.getIndexAttr(op.getSteps()[i]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, out, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    // Negative steps: input index = start + i * step, an affine map.
    MLIRContext *ctx = getContext();
    SmallVector<AffineExpr> inE;
    for (int64_t i = 0; i < out.getRank(); ++i)
      inE.push_back(getAffineDimExpr(i, ctx) * op.getSteps()[i] +
                    op.getStarts()[i]);
    SmallVector<AffineMap> maps = {
        AffineMap::get(out.getRank(), 0, inE, ctx),
        AffineMap::getMultiDimIdentityMap(out.getRank(), ctx)};
    SmallVector<IteratorType> iters(out.getRank(), IteratorType::parallel);
    Value r =
        linalg::GenericOp::create(rewriter, loc, out, adaptor.getInput(),
                                  emptyTensor(rewriter, loc, out), maps, iters,
                                  [](OpBuilder &b, Location l, ValueRange a) {
                                    linalg::YieldOp::create(b, l, a[0]);
                                  })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType out = op.getType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t axis = op.getAxis(), ir = idxType.getRank();
    SmallVector<AffineExpr> idxE;
    for (int64_t i = 0; i < ir; ++i)
      idxE.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(out.getRank(), 0, idxE, ctx),
        AffineMap::getMultiDimIdentityMap(out.getRank(), ctx)};
    SmallVector<IteratorType> iters(out.getRank(), IteratorType::parallel);
    Value input = adaptor.getInput();
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, adaptor.getIndices(),
            emptyTensor(rewriter, loc, out), maps, iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              // Negative indices count from the end (ONNX).
              Value i =
                  arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
              Value dim =
                  arith::ConstantIndexOp::create(b, l, inType.getDimSize(axis));
              Value zero = arith::ConstantIndexOp::create(b, l, 0);
              Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                                i, zero);
              i = arith::SelectOp::create(
                  b, l, neg, arith::AddIOp::create(b, l, i, dim), i);
              SmallVector<Value> coords;
              for (int64_t d = 0; d < axis; ++d)
                coords.push_back(linalg::IndexOp::create(b, l, d));
              coords.push_back(i);
              for (int64_t d = axis + ir; d < out.getRank(); ++d)
                coords.push_back(linalg::IndexOp::create(b, l, d));
              linalg::YieldOp::create(
                  b, l,
                  tensor::ExtractOp::create(b, l, input, coords).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = out.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    if (op.getMode() == "constant") {
      Value v = scalar(rewriter, loc, out.getElementType(),
                       op.getValue().convertToDouble());
      rewriter.replaceOp(op, padTensor(rewriter, loc, adaptor.getInput(),
                                       pads.take_front(rank),
                                       pads.drop_front(rank), v));
      return success();
    }
    // Edge/reflect: each output element reads a clamped/mirrored index.
    bool reflect = op.getMode() == "reflect";
    for (int64_t i = 0; i < rank; ++i)
      if (reflect && (pads[i] >= inType.getDimSize(i) ||
                      pads[i + rank] >= inType.getDimSize(i)))
        return op.emitOpError("reflect pads must be smaller than the input "
                              "dimension ")
               << i;
    Value input = adaptor.getInput();
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, getContext())};
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, ValueRange{}, emptyTensor(rewriter, loc, out),
            maps, iters,
            [&](OpBuilder &b, Location l, ValueRange) {
              SmallVector<Value> coords;
              for (int64_t d = 0; d < rank; ++d) {
                auto c = [&](int64_t v) {
                  return arith::ConstantIndexOp::create(b, l, v).getResult();
                };
                Value j = arith::SubIOp::create(
                    b, l, linalg::IndexOp::create(b, l, d), c(pads[d]));
                int64_t n = inType.getDimSize(d);
                if (reflect) {
                  // j < 0 -> -j; j >= n -> 2(n-1) - j.
                  Value negJ = arith::SubIOp::create(b, l, c(0), j);
                  j = arith::MaxSIOp::create(b, l, j, negJ);
                  Value mirrored =
                      arith::SubIOp::create(b, l, c(2 * (n - 1)), j);
                  j = arith::MinSIOp::create(b, l, j, mirrored);
                } else {
                  j = arith::MaxSIOp::create(b, l, j, c(0));
                  j = arith::MinSIOp::create(b, l, j, c(n - 1));
                }
                coords.push_back(j);
              }
              linalg::YieldOp::create(
                  b, l,
                  tensor::ExtractOp::create(b, l, input, coords).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op,
        elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                    [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct ConvertKilnToLinalgPass
    : kiln::impl::ConvertKilnToLinalgPassBase<ConvertKilnToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<KilnDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           func::FuncDialect>();
    RewritePatternSet patterns(ctx);
    populateKilnToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::kiln::populateKilnToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      UnaryLowering<AbsOp>, UnaryLowering<CeilOp>, UnaryLowering<CosOp>,
      UnaryLowering<ErfOp>, UnaryLowering<ExpOp>, UnaryLowering<FloorOp>,
      UnaryLowering<LogOp>, UnaryLowering<NegOp>, UnaryLowering<ReciprocalOp>,
      UnaryLowering<ReluOp>, UnaryLowering<RoundOp>, UnaryLowering<SigmoidOp>,
      UnaryLowering<SinOp>, UnaryLowering<SqrtOp>, UnaryLowering<TanhOp>,
      UnaryLowering<ClipOp>, UnaryLowering<LeakyReluOp>,
      UnaryLowering<HardSigmoidOp>, CastLowering, BinaryLowering<AddOp>,
      BinaryLowering<SubOp>, BinaryLowering<MulOp>, BinaryLowering<DivOp>,
      BinaryLowering<PowOp>, BinaryLowering<MaxOp>, BinaryLowering<MinOp>,
      WhereLowering, ConstantLowering, MatMulLowering, GemmLowering,
      ConvLowering, BatchNormLowering, ReduceLowering<ReduceSumOp>,
      ReduceLowering<ReduceMeanOp>, ReduceLowering<ReduceMaxOp>,
      ReduceLowering<ReduceMinOp>, ReduceLowering<ReduceProdOp>,
      SoftmaxLowering, LayerNormLowering, PoolLowering<MaxPoolOp>,
      PoolLowering<AvgPoolOp>, ReshapeLowering, TransposeLowering,
      ConcatLowering, SliceLowering, GatherLowering, PadLowering,
      ExpandLowering>(ctx);
}
