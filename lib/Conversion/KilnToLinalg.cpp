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
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
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

/// Unsigned kiln integers (`ui8`...) lower to signless ones: arith ops are
/// signless and pick signedness per op (divui, cmpi ult, extui ...).
Type signlessElement(Type t) {
  if (auto it = dyn_cast<IntegerType>(t); it && !it.isSignless())
    return IntegerType::get(t.getContext(), it.getWidth());
  return t;
}
RankedTensorType signlessType(RankedTensorType t) {
  return t.clone(signlessElement(t.getElementType()));
}
bool isUnsignedInt(Type t) {
  return getElementTypeOrSelf(t).isUnsignedInteger();
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 signlessElement(type.getElementType()));
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
Value extremum(OpBuilder &b, Location loc, Type type, bool lowest,
               bool isUnsigned = false) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? (lowest ? APInt::getMinValue(width)
                                 : APInt::getMaxValue(width))
            : lowest   ? APInt::getSignedMinValue(width)
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
  resultType = signlessType(resultType);
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
  type = signlessType(type);
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
  bool isInt = isa<IntegerType>(t);
  bool isUnsigned = isUnsignedInt(op->getResult(0).getType());
  return TypeSwitch<Operation *, Value>(op)
      .Case([&](AbsOp) -> Value {
        if (isUnsigned)
          return x;
        if (isInt)
          return math::AbsIOp::create(b, loc, x);
        return math::AbsFOp::create(b, loc, x);
      })
      .Case([&](SignOp) -> Value {
        Value zero = scalar(b, loc, t, 0.0), one = scalar(b, loc, t, 1.0);
        if (isUnsigned)
          return arith::SelectOp::create(
              b, loc,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero),
              one, zero);
        Value minusOne = scalar(b, loc, t, -1.0);
        Value pos, neg;
        if (isInt) {
          pos =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
          neg =
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
          zero = arith::SelectOp::create(b, loc, neg, minusOne, zero);
        } else {
          // 0, -0 and NaN map to themselves (numpy.sign).
          pos =
              arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
          neg =
              arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
          zero = arith::SelectOp::create(b, loc, neg, minusOne, x);
        }
        return arith::SelectOp::create(b, loc, pos, one, zero);
      })
      .Case([&](NotOp) -> Value {
        return arith::XOrIOp::create(
            b, loc, x,
            arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 1)));
      })
      .Case([&](CeilOp) { return math::CeilOp::create(b, loc, x); })
      .Case([&](CosOp) { return math::CosOp::create(b, loc, x); })
      .Case([&](ErfOp) { return math::ErfOp::create(b, loc, x); })
      .Case([&](ExpOp) { return math::ExpOp::create(b, loc, x); })
      .Case([&](FloorOp) { return math::FloorOp::create(b, loc, x); })
      .Case([&](LogOp) { return math::LogOp::create(b, loc, x); })
      .Case([&](NegOp) -> Value {
        if (isInt)
          return arith::SubIOp::create(b, loc, scalar(b, loc, t, 0.0), x);
        return arith::NegFOp::create(b, loc, x);
      })
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
      .Case([&](AcosOp) { return math::AcosOp::create(b, loc, x); })
      .Case([&](AcoshOp) { return math::AcoshOp::create(b, loc, x); })
      .Case([&](AsinOp) { return math::AsinOp::create(b, loc, x); })
      .Case([&](AsinhOp) { return math::AsinhOp::create(b, loc, x); })
      .Case([&](AtanOp) { return math::AtanOp::create(b, loc, x); })
      .Case([&](AtanhOp) { return math::AtanhOp::create(b, loc, x); })
      .Case([&](CoshOp) { return math::CoshOp::create(b, loc, x); })
      .Case([&](SinhOp) { return math::SinhOp::create(b, loc, x); })
      .Case([&](TanOp) { return math::TanOp::create(b, loc, x); })
      .Case([&](SoftplusOp) -> Value {
        // max(x, 0) + log1p(exp(-|x|)): no overflow for large x.
        Value pos = arith::MaximumFOp::create(b, loc, x, scalar(b, loc, t, 0));
        Value e = math::ExpOp::create(
            b, loc,
            arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x)));
        return arith::AddFOp::create(b, loc, pos,
                                     math::Log1pOp::create(b, loc, e));
      })
      .Case([&](EluOp elu) -> Value {
        Value neg = arith::MulFOp::create(
            b, loc, math::ExpM1Op::create(b, loc, x),
            scalar(b, loc, t, elu.getAlpha().convertToDouble()));
        Value ge = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x,
                                         scalar(b, loc, t, 0));
        return arith::SelectOp::create(b, loc, ge, x, neg);
      })
      .Case([&](ThresholdedReluOp tr) -> Value {
        Value gt = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OGT, x,
            scalar(b, loc, t, tr.getAlpha().convertToDouble()));
        return arith::SelectOp::create(b, loc, gt, x, scalar(b, loc, t, 0));
      })
      .Case([&](ShrinkOp sh) -> Value {
        double lambd = sh.getLambd().convertToDouble();
        Value bias = scalar(b, loc, t, sh.getBias().convertToDouble());
        Value lo = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                         scalar(b, loc, t, -lambd));
        Value hi = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         scalar(b, loc, t, lambd));
        Value r = arith::SelectOp::create(
            b, loc, hi, arith::SubFOp::create(b, loc, x, bias),
            scalar(b, loc, t, 0));
        return arith::SelectOp::create(
            b, loc, lo, arith::AddFOp::create(b, loc, x, bias), r);
      })
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

/// Converts the (signless) scalar `x` to `to`, which may be an unsigned
/// kiln type (the result is then its signless twin); `fromUnsigned` says how
/// to read an integer `x`. Bool reads as 0/1 and converts as `x != 0`.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                 bool fromUnsigned = false) {
  bool toUnsigned = to.isUnsignedInteger();
  to = signlessElement(to);
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  fromUnsigned |= fromInt && fromInt.getWidth() == 1;
  if (toInt && toInt.getWidth() == 1) {
    Value zero = scalar(b, loc, from, 0.0);
    if (fromInt)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
  }
  if (fromInt && toInt) {
    if (fromInt.getWidth() < toInt.getWidth())
      return fromUnsigned ? arith::ExtUIOp::create(b, loc, to, x).getResult()
                          : arith::ExtSIOp::create(b, loc, to, x).getResult();
    return arith::TruncIOp::create(b, loc, to, x);
  }
  if (fromInt)
    return fromUnsigned ? arith::UIToFPOp::create(b, loc, to, x).getResult()
                        : arith::SIToFPOp::create(b, loc, to, x).getResult();
  if (toInt)
    return toUnsigned ? arith::FPToUIOp::create(b, loc, to, x).getResult()
                      : arith::FPToSIOp::create(b, loc, to, x).getResult();
  unsigned fromBits = from.getIntOrFloatBitWidth();
  unsigned toBits = to.getIntOrFloatBitWidth();
  if (fromBits == toBits) // f16 <-> bf16: through f32.
    x = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  if (fromBits < toBits)
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type to = op.getType().getElementType();
    bool fromUnsigned = isUnsignedInt(op.getInput().getType());
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [&](OpBuilder &b, Location loc, ValueRange args) {
                          return castScalar(b, loc, args[0], to, fromUnsigned);
                        }));
    return success();
  }
};

/// x^e by squaring, unrolled over the exponent's bits (math.ipowi has no
/// LLVM lowering in the pipeline). A negative exponent gives 1/x^|e|
/// truncated: 1 for x = 1, +-1 for x = -1, else 0.
Value integerPow(OpBuilder &b, Location loc, Value x, Value e,
                 bool isUnsigned) {
  Type t = x.getType();
  unsigned width = t.getIntOrFloatBitWidth();
  Value zero = scalar(b, loc, t, 0.0), one = scalar(b, loc, t, 1.0);
  Value result = one, base = x, bits = e;
  for (unsigned i = 0; i < width; ++i) {
    Value odd = arith::TruncIOp::create(b, loc, b.getI1Type(), bits);
    result = arith::SelectOp::create(
        b, loc, odd, arith::MulIOp::create(b, loc, result, base), result);
    if (i + 1 == width)
      break;
    base = arith::MulIOp::create(b, loc, base, base);
    bits = arith::ShRUIOp::create(b, loc, bits, one);
  }
  if (isUnsigned)
    return result;
  using IP = arith::CmpIPredicate;
  Value minusOne = scalar(b, loc, t, -1.0);
  Value negExp = arith::CmpIOp::create(b, loc, IP::slt, e, zero);
  Value eOdd = arith::TruncIOp::create(b, loc, b.getI1Type(), e);
  Value isOne = arith::CmpIOp::create(b, loc, IP::eq, x, one);
  Value isMinusOne = arith::CmpIOp::create(b, loc, IP::eq, x, minusOne);
  Value alternating = arith::SelectOp::create(b, loc, eOdd, minusOne, one);
  Value negValue = arith::SelectOp::create(
      b, loc, isOne, one,
      arith::SelectOp::create(b, loc, isMinusOne, alternating, zero));
  return arith::SelectOp::create(b, loc, negExp, negValue, result);
}

Value binaryScalar(Operation *op, OpBuilder &b, Location loc, Value l,
                   Value r) {
  bool f = isFloat(l.getType());
  // Bool compares as unsigned (true > false).
  bool u =
      isUnsignedInt(op->getOperand(0).getType()) || l.getType().isInteger(1);
  using IP = arith::CmpIPredicate;
  using FP = arith::CmpFPredicate;
  auto compare = [&](IP s, IP us, FP fp) -> Value {
    if (f)
      return arith::CmpFOp::create(b, loc, fp, l, r);
    return arith::CmpIOp::create(b, loc, u ? us : s, l, r);
  };
  return TypeSwitch<Operation *, Value>(op)
      .Case([&](EqualOp) { return compare(IP::eq, IP::eq, FP::OEQ); })
      .Case([&](LessOp) { return compare(IP::slt, IP::ult, FP::OLT); })
      .Case([&](LessEqualOp) { return compare(IP::sle, IP::ule, FP::OLE); })
      .Case([&](GreaterOp) { return compare(IP::sgt, IP::ugt, FP::OGT); })
      .Case([&](GreaterEqualOp) { return compare(IP::sge, IP::uge, FP::OGE); })
      .Case([&](AndOp) { return arith::AndIOp::create(b, loc, l, r); })
      .Case([&](OrOp) { return arith::OrIOp::create(b, loc, l, r); })
      .Case([&](XorOp) { return arith::XOrIOp::create(b, loc, l, r); })
      .Case([&](BitShiftOp s) -> Value {
        // Shifting by the width or more is poison in arith; numpy gives 0.
        Type t = l.getType();
        Value width = scalar(b, loc, t, t.getIntOrFloatBitWidth());
        Value inRange = arith::CmpIOp::create(b, loc, IP::ult, r, width);
        Value v = s.getDirection() == "left"
                      ? arith::ShLIOp::create(b, loc, l, r).getResult()
                      : arith::ShRUIOp::create(b, loc, l, r).getResult();
        return arith::SelectOp::create(b, loc, inRange, v,
                                       scalar(b, loc, t, 0.0));
      })
      .Case([&](ModOp m) -> Value {
        if (f)
          return arith::RemFOp::create(b, loc, l, r); // C fmod.
        if (u)
          return arith::RemUIOp::create(b, loc, l, r);
        Value rem = arith::RemSIOp::create(b, loc, l, r);
        if (m.getFmod())
          return rem;
        // Python %: a nonzero remainder takes the divisor's sign.
        Value zero = scalar(b, loc, l.getType(), 0.0);
        Value nonzero = arith::CmpIOp::create(b, loc, IP::ne, rem, zero);
        Value remNeg = arith::CmpIOp::create(b, loc, IP::slt, rem, zero);
        Value rNeg = arith::CmpIOp::create(b, loc, IP::slt, r, zero);
        Value signsDiffer = arith::XOrIOp::create(b, loc, remNeg, rNeg);
        Value fix = arith::AndIOp::create(b, loc, nonzero, signsDiffer);
        return arith::SelectOp::create(
            b, loc, fix, arith::AddIOp::create(b, loc, rem, r), rem);
      })
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
        if (f)
          return arith::DivFOp::create(b, loc, l, r);
        return u ? arith::DivUIOp::create(b, loc, l, r).getResult()
                 : arith::DivSIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](PowOp) -> Value {
        if (f)
          return math::PowFOp::create(b, loc, l, r);
        return integerPow(b, loc, l, r, u);
      })
      .Case([&](MaxOp) -> Value {
        if (f)
          return arith::MaximumFOp::create(b, loc, l, r);
        return u ? arith::MaxUIOp::create(b, loc, l, r).getResult()
                 : arith::MaxSIOp::create(b, loc, l, r).getResult();
      })
      .Case([&](MinOp) -> Value {
        if (f)
          return arith::MinimumFOp::create(b, loc, l, r);
        return u ? arith::MinUIOp::create(b, loc, l, r).getResult()
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

struct IsInfLowering : OpConversionPattern<IsInfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IsInfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool pos = op.getDetectPositive(), neg = op.getDetectNegative();
    rewriter.replaceOp(
        op,
        elementwise(
            rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
            [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
              Value x = a[0];
              auto ft = cast<FloatType>(x.getType());
              if (!pos && !neg)
                return arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
              if (pos && neg)
                x = math::AbsFOp::create(b, loc, x);
              Value inf = arith::ConstantOp::create(
                  b, loc,
                  b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                                     /*Negative=*/!pos)));
              return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                                           inf);
            }));
    return success();
  }
};

struct IsNaNLowering : OpConversionPattern<IsNaNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IsNaNOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                        [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                          return arith::CmpFOp::create(
                              b, loc, arith::CmpFPredicate::UNO, a[0], a[0]);
                        }));
    return success();
  }
};

/// start + i * delta, computed in the element type.
struct RangeLowering : OpConversionPattern<RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, elementwise(
                rewriter, op.getLoc(), op.getType(),
                ValueRange{adaptor.getStart(), adaptor.getDelta()},
                [](OpBuilder &b, Location loc, ValueRange a) -> Value {
                  Type t = a[0].getType();
                  Value i = arith::IndexCastOp::create(
                      b, loc, b.getI64Type(),
                      linalg::IndexOp::create(b, loc, 0));
                  i = castScalar(b, loc, i, t);
                  if (isa<FloatType>(t))
                    return arith::AddFOp::create(
                        b, loc, a[0], arith::MulFOp::create(b, loc, i, a[1]));
                  return arith::AddIOp::create(
                      b, loc, a[0], arith::MulIOp::create(b, loc, i, a[1]));
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
    // arith.constant is signless: reinterpret unsigned bits.
    if (auto dense = dyn_cast<DenseElementsAttr>(value);
        dense && isUnsignedInt(dense.getElementType()))
      value = dense.bitcast(signlessElement(dense.getElementType()));
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
Value addChannelBias(OpBuilder &b, Location loc, Value value, Value bias,
                     int64_t channelDim = 1) {
  auto type = cast<RankedTensorType>(value.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(type.getRank(), ctx),
      AffineMap::get(type.getRank(), 0, getAffineDimExpr(channelDim, ctx), ctx),
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
    if (op.getChannelsLast())
      return lowerChannelsLast(op, adaptor, rewriter);

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

  /// NHWC input, HWCF filter: the named NHWC convolutions, whose tiles
  /// the CPU strategy vectorizes directly (no im2col).
  LogicalResult lowerChannelsLast(ConvOp op, OpAdaptor adaptor,
                                  ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    Type et = out.getElementType();
    auto fType = cast<RankedTensorType>(adaptor.getFilter().getType());
    ArrayRef<int64_t> pads = op.getPads();
    Value input =
        padTensor(rewriter, loc, adaptor.getInput(), {0, pads[0], pads[1], 0},
                  {0, pads[2], pads[3], 0}, scalar(rewriter, loc, et, 0.0));
    // The bias (broadcast along C) is the accumulators' initial value: no
    // separate pass over the output, and the CPU strategy fuses it into
    // each register tile.
    Value init =
        adaptor.getBias()
            ? elementwise(rewriter, loc, out, ValueRange{adaptor.getBias()},
                          [](OpBuilder &, Location, ValueRange a) -> Value {
                            return a[0];
                          })
            : filled(rewriter, loc, out, scalar(rewriter, loc, et, 0.0));
    SmallVector<NamedAttribute> attrs = {
        rewriter.getNamedAttr("strides",
                              rewriter.getI64TensorAttr(op.getStrides())),
        rewriter.getNamedAttr("dilations",
                              rewriter.getI64TensorAttr(op.getDilations()))};
    int64_t c = op.getInput().getType().getDimSize(3), f = fType.getDimSize(3);
    Value result;
    if (op.getGroup() == 1) {
      result = linalg::Conv2DNhwcHwcfOp::create(
                   rewriter, loc, out, ValueRange{input, adaptor.getFilter()},
                   init, attrs)
                   .getResult(0);
    } else if ((int64_t)op.getGroup() == c && f == c) {
      // Depthwise with multiplier 1: filter [KH, KW, 1, C] -> [KH, KW, C].
      auto dwType = RankedTensorType::get(
          {fType.getDimSize(0), fType.getDimSize(1), c}, et);
      result = linalg::DepthwiseConv2DNhwcHwcOp::create(
                   rewriter, loc, out,
                   ValueRange{input, reshapeTo(rewriter, loc,
                                               adaptor.getFilter(), dwType)},
                   init, attrs)
                   .getResult(0);
    } else {
      return rewriter.notifyMatchFailure(
          op, "channels_last supports group 1 and depthwise only");
    }
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
             const llvm::SmallBitVector &reduced, ReduceKind kind,
             bool isUnsigned = false) {
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
    initV = extremum(b, loc, et, /*lowest=*/true, isUnsigned);
    break;
  case ReduceKind::Min:
    initV = extremum(b, loc, et, /*lowest=*/false, isUnsigned);
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
                     : isUnsigned ? arith::MaxUIOp::create(nb, nl, a[1], a[0])
                                        .getResult()
                                  : arith::MaxSIOp::create(nb, nl, a[1], a[0])
                                        .getResult();
                 break;
               case ReduceKind::Min:
                 r = f ? arith::MinimumFOp::create(nb, nl, a[1], a[0])
                             .getResult()
                     : isUnsigned ? arith::MinUIOp::create(nb, nl, a[1], a[0])
                                        .getResult()
                                  : arith::MinSIOp::create(nb, nl, a[1], a[0])
                                        .getResult();
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
    bool isUnsigned = isUnsignedInt(op.getType());
    Value r =
        reduce(rewriter, loc, adaptor.getInput(), reduced, kind, isUnsigned);
    if (isa<ReduceMeanOp>(op)) {
      auto rt = cast<RankedTensorType>(r.getType());
      Type et = rt.getElementType();
      r = elementwise(rewriter, loc, rt, r,
                      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                        Value n = scalar(b, l, et, (double)count);
                        if (isa<FloatType>(et))
                          return arith::DivFOp::create(b, l, a[0], n);
                        if (isUnsigned)
                          return arith::DivUIOp::create(b, l, a[0], n);
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
    bool last = op.getChannelsLast();
    int64_t first = op.getSpatialStart();
    // Pad far enough for every window, including ceil-mode ones.
    SmallVector<int64_t> low(last ? 1 : 2, 0), high(last ? 1 : 2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inType.getDimSize(i + first);
      int64_t need =
          (out.getDimSize(i + first) - 1) * s[i] + dl[i] * (k[i] - 1) + 1;
      low.push_back(pads[i]);
      high.push_back(std::max<int64_t>(need - in - pads[i], 0));
    }
    if (last) {
      low.push_back(0);
      high.push_back(0);
    }
    Value padV = isMax ? extremum(rewriter, loc, et, true)
                       : scalar(rewriter, loc, et, 0.0);
    Value input = padTensor(rewriter, loc, adaptor.getInput(), low, high, padV);
    if (last) {
      rewriter.replaceOp(op,
                         windowsChannelsLast(rewriter, loc, op, input, inType));
      return success();
    }
    int64_t loops = 2 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // A shape-only window operand gives the loops their window extents, as
    // in linalg's named pooling ops. Loops: NCHW (n, c, out..., window...);
    // channels-last (n, out..., window..., c), so c is innermost as it is
    // in memory.
    int64_t cLoop = last ? 1 + 2 * spatial : 1, sp = last ? 1 : 2;
    SmallVector<AffineExpr> inE = {d(0)}, oE = {d(0)}, wE;
    if (!last) {
      inE.push_back(d(cLoop));
      oE.push_back(d(cLoop));
    }
    for (int64_t i = 0; i < spatial; ++i) {
      inE.push_back(d(sp + i) * s[i] + d(sp + spatial + i) * dl[i]);
      oE.push_back(d(sp + i));
      wE.push_back(d(sp + spatial + i));
    }
    if (last) {
      inE.push_back(d(cLoop));
      oE.push_back(d(cLoop));
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, k, et);
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                   AffineMap::get(loops, 0, wE, ctx),
                                   AffineMap::get(loops, 0, oE, ctx)};
    SmallVector<IteratorType> iters(loops, IteratorType::parallel);
    for (int64_t i = 0; i < spatial; ++i)
      iters[sp + spatial + i] = IteratorType::reduction;
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

  /// Channels-last pooling as one elementwise max (or sum) over the
  /// KH*KW strided views of the padded input, one per window position:
  /// every op reads whole rows of C contiguous channels, which vectorize,
  /// and elementwise fusion makes them one loop nest.
  static Value windowsChannelsLast(OpBuilder &b, Location loc, OpTy op,
                                   Value input, RankedTensorType inType) {
    constexpr bool isMax = std::is_same_v<OpTy, MaxPoolOp>;
    RankedTensorType out = op.getType();
    int64_t spatial = out.getRank() - 2;
    auto k = op.getKernelShape(), s = op.getStrides(), dl = op.getDilations();
    SmallVector<int64_t> sizes(out.getShape()), strides(out.getRank(), 1);
    for (int64_t i = 0; i < spatial; ++i)
      strides[1 + i] = s[i];
    Value acc;
    SmallVector<int64_t> pos(spatial, 0);
    while (true) {
      SmallVector<int64_t> offsets(out.getRank(), 0);
      for (int64_t i = 0; i < spatial; ++i)
        offsets[1 + i] = pos[i] * dl[i];
      MLIRContext *ctx = b.getContext();
      Value view = tensor::ExtractSliceOp::create(
          b, loc, out, input, getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, sizes),
          getAsIndexOpFoldResult(ctx, strides));
      acc = !acc ? view
                 : elementwise(
                       b, loc, out, ValueRange{acc, view},
                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         if (isMax)
                           return arith::MaximumFOp::create(nb, l, a[0], a[1]);
                         return arith::AddFOp::create(nb, l, a[0], a[1]);
                       });
      int64_t d = spatial - 1;
      while (d >= 0 && ++pos[d] == k[d])
        pos[d--] = 0;
      if (d < 0)
        break;
    }
    if constexpr (!isMax)
      acc = divideByCounts(b, loc, acc, op, inType);
    return acc;
  }

  /// Divides window sums by the number of counted elements per window, a
  /// compile-time constant of shape [out...] (separable per dim).
  static Value divideByCounts(OpBuilder &b, Location loc, Value sums,
                              AvgPoolOp op, RankedTensorType inType) {
    RankedTensorType out = op.getType();
    int64_t spatial = out.getRank() - 2, first = op.getSpatialStart();
    auto k = op.getKernelShape(), s = op.getStrides(), dl = op.getDilations(),
         pads = op.getPads();
    SmallVector<SmallVector<int64_t>> perDim;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = inType.getDimSize(i + first);
      // Counted positions: the input, plus the explicit pads when included.
      int64_t lo = op.getCountIncludePad() ? -pads[i] : 0;
      int64_t hi = op.getCountIncludePad() ? in + pads[i + spatial] : in;
      SmallVector<int64_t> counts;
      for (int64_t o = 0; o < out.getDimSize(i + first); ++o) {
        int64_t n = 0;
        for (int64_t j = 0; j < k[i]; ++j) {
          int64_t pos = o * s[i] + j * dl[i] - pads[i];
          n += pos >= lo && pos < hi;
        }
        counts.push_back(std::max<int64_t>(n, 1));
      }
      perDim.push_back(counts);
    }
    SmallVector<int64_t> shape(out.getShape().slice(first, spatial));
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
    // Counts broadcast over N and C: [out...], or [out..., 1] channels-last.
    if (op.getChannelsLast())
      shape.push_back(1);
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
    RankedTensorType out = signlessType(op.getType());
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

using CoordsFn = function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                 ValueRange /*inputs*/)>;

/// A linalg.generic over `out` whose element at each index is `source` read
/// at coordinates computed from the loop indices and from `inputs` (read
/// through `inputMaps`): the shape of gathers, edge/reflect padding and
/// strided slicing.
Value readAtCoords(OpBuilder &b, Location loc, RankedTensorType out,
                   Value source, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, CoordsFn coords) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(
      AffineMap::getMultiDimIdentityMap(out.getRank(), b.getContext()));
  SmallVector<IteratorType> iters(out.getRank(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, out, inputs, emptyTensor(b, loc, out), maps, iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               SmallVector<Value> at = coords(nb, l, a.drop_back());
               linalg::YieldOp::create(
                   nb, l,
                   tensor::ExtractOp::create(nb, l, source, at).getResult());
             })
      .getResult(0);
}

/// `i` (an index-typed value read from an indices tensor) with negative
/// values counted from the end of a dim of size `dim` (ONNX).
Value wrapIndex(OpBuilder &b, Location l, Value i, int64_t dim) {
  i = arith::IndexCastOp::create(b, l, b.getIndexType(), i);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
  Value wrapped =
      arith::AddIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, dim));
  return arith::SelectOp::create(b, l, neg, wrapped, i);
}

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType out = signlessType(op.getType());
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t axis = op.getAxis(), ir = idxType.getRank();
    SmallVector<AffineExpr> idxE;
    for (int64_t i = 0; i < ir; ++i)
      idxE.push_back(getAffineDimExpr(axis + i, ctx));
    Value r = readAtCoords(
        rewriter, loc, out, adaptor.getInput(), adaptor.getIndices(),
        AffineMap::get(out.getRank(), 0, idxE, ctx),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = wrapIndex(b, l, a[0], inType.getDimSize(axis));
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          coords.push_back(i);
          for (int64_t d = axis + ir; d < out.getRank(); ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          return coords;
        });
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
    RankedTensorType out = signlessType(op.getType());
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
    Value r = readAtCoords(
        rewriter, loc, out, adaptor.getInput(), ValueRange{}, {},
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
              Value mirrored = arith::SubIOp::create(b, l, c(2 * (n - 1)), j);
              j = arith::MinSIOp::create(b, l, j, mirrored);
            } else {
              j = arith::MaxSIOp::create(b, l, j, c(0));
              j = arith::MinSIOp::create(b, l, j, c(n - 1));
            }
            coords.push_back(j);
          }
          return coords;
        });
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

//===----------------------------------------------------------------------===//
// Index-producing ops: arg max/min, hardmax, cumsum, top-k, einsum
//===----------------------------------------------------------------------===//

/// Max pooling carrying (max, flat input index) through the window loops;
/// the strict comparison keeps the first maximum.
struct MaxPoolIndicesLowering : OpConversionPattern<MaxPoolIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType out = op.getType();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type et = inType.getElementType();
    int64_t spatial = inType.getRank() - 2;
    auto k = op.getKernelShape(), s = op.getStrides(), dl = op.getDilations(),
         pads = op.getPads();
    SmallVector<int64_t> low(2, 0), high(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t need =
          (out.getDimSize(i + 2) - 1) * s[i] + dl[i] * (k[i] - 1) + 1;
      low.push_back(pads[i]);
      high.push_back(
          std::max<int64_t>(need - inType.getDimSize(i + 2) - pads[i], 0));
    }
    Value lowest = extremum(rewriter, loc, et, true);
    Value input =
        padTensor(rewriter, loc, adaptor.getInput(), low, high, lowest);
    int64_t loops = 2 + 2 * spatial;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    constexpr bool last = false; // indices are NCHW only
    // Loops (n, c, out..., window...).
    SmallVector<AffineExpr> inE = {d(0)}, oE = {d(0)}, wE;
    if (!last) {
      inE.push_back(d(1));
      oE.push_back(d(1));
    }
    for (int64_t i = 0; i < spatial; ++i) {
      inE.push_back(d(2 + i) * s[i] + d(2 + spatial + i) * dl[i]);
      oE.push_back(d(2 + i));
      wE.push_back(d(2 + spatial + i));
    }
    if (last) {
      inE.push_back(d(1));
      oE.push_back(d(1));
    }
    Value window = tensor::EmptyOp::create(rewriter, loc, k, et);
    AffineMap outMap = AffineMap::get(loops, 0, oE, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                   AffineMap::get(loops, 0, wE, ctx), outMap,
                                   outMap};
    SmallVector<IteratorType> iters(2 + spatial, IteratorType::parallel);
    iters.append(spatial, IteratorType::reduction);
    auto valType = RankedTensorType::get(out.getShape(), et);
    Value initV = filled(rewriter, loc, valType, lowest);
    Value initI = filled(rewriter, loc, out,
                         scalar(rewriter, loc, out.getElementType(), 0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, out}, ValueRange{input, window},
        ValueRange{initV, initI}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          auto idx = [&](int64_t i) -> Value {
            return linalg::IndexOp::create(b, l, i);
          };
          auto cst = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          // Flat index of the unpadded input position: (n, c) row-major,
          // then the spatial dims in either order.
          Value flat = arith::AddIOp::create(
              b, l,
              arith::MulIOp::create(b, l, idx(0), cst(inType.getDimSize(1))),
              idx(1));
          for (int64_t j = 0; j < spatial; ++j) {
            int64_t i = op.getColumnMajor() ? spatial - 1 - j : j;
            Value pos = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, idx(2 + i), cst(s[i])),
                arith::MulIOp::create(b, l, idx(2 + spatial + i), cst(dl[i])));
            pos = arith::SubIOp::create(b, l, pos, cst(pads[i]));
            flat = arith::AddIOp::create(
                b, l,
                arith::MulIOp::create(b, l, flat,
                                      cst(inType.getDimSize(i + 2))),
                pos);
          }
          Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), flat);
          Value better = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                               a[0], a[2]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, a[0], a[2]),
                         arith::SelectOp::create(b, l, better, i64, a[3])});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

/// The position of the largest (or smallest) element of `input` along
/// `axis`, as an i64 tensor without that dim: one linalg.generic carrying
/// (best value, best index). A strict comparison keeps the first extremum,
/// a non-strict one the last.
Value argExtremum(OpBuilder &b, Location loc, Value input, int64_t axis,
                  bool isMax, bool last) {
  auto type = cast<RankedTensorType>(input.getType());
  Type et = type.getElementType(), i64 = b.getI64Type();
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outE;
  SmallVector<IteratorType> iters;
  for (int64_t i = 0; i < rank; ++i) {
    iters.push_back(i == axis ? IteratorType::reduction
                              : IteratorType::parallel);
    if (i != axis) {
      shape.push_back(type.getDimSize(i));
      outE.push_back(getAffineDimExpr(i, ctx));
    }
  }
  auto valType = RankedTensorType::get(shape, et);
  auto idxType = RankedTensorType::get(shape, i64);
  AffineMap outMap = AffineMap::get(rank, 0, outE, ctx);
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                 outMap, outMap};
  Value initV = filled(b, loc, valType, extremum(b, loc, et, isMax));
  Value initI = filled(b, loc, idxType, scalar(b, loc, i64, 0));
  bool f = isa<FloatType>(et);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{valType, idxType}, input, ValueRange{initV, initI},
      maps, iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value better;
        if (f) {
          auto pred = isMax ? (last ? arith::CmpFPredicate::OGE
                                    : arith::CmpFPredicate::OGT)
                            : (last ? arith::CmpFPredicate::OLE
                                    : arith::CmpFPredicate::OLT);
          better = arith::CmpFOp::create(nb, l, pred, a[0], a[1]);
        } else {
          auto pred = isMax ? (last ? arith::CmpIPredicate::sge
                                    : arith::CmpIPredicate::sgt)
                            : (last ? arith::CmpIPredicate::sle
                                    : arith::CmpIPredicate::slt);
          better = arith::CmpIOp::create(nb, l, pred, a[0], a[1]);
        }
        Value i = arith::IndexCastOp::create(
            nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, axis));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, better, a[0], a[1]),
                       arith::SelectOp::create(nb, l, better, i, a[2])});
      });
  return op.getResult(1);
}

template <typename OpTy> struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r =
        argExtremum(rewriter, op.getLoc(), adaptor.getInput(), op.getAxis(),
                    std::is_same_v<OpTy, ArgMaxOp>, op.getSelectLastIndex());
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), r, op.getType()));
    return success();
  }
};

struct HardmaxLowering : OpConversionPattern<HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    Value idx = argExtremum(rewriter, loc, adaptor.getInput(), axis,
                            /*isMax=*/true, /*last=*/false);
    llvm::SmallBitVector dims(op.getType().getRank());
    dims.set(axis);
    Type et = op.getType().getElementType();
    rewriter.replaceOp(
        op, withReduced(rewriter, loc, adaptor.getInput(), idx, dims,
                        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                          Value i = arith::IndexCastOp::create(
                              b, l, b.getI64Type(),
                              linalg::IndexOp::create(b, l, axis));
                          Value hit = arith::CmpIOp::create(
                              b, l, arith::CmpIPredicate::eq, i, a[1]);
                          return arith::SelectOp::create(b, l, hit,
                                                         scalar(b, l, et, 1.0),
                                                         scalar(b, l, et, 0.0));
                        }));
    return success();
  }
};

Value addScalar(OpBuilder &b, Location l, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::AddFOp::create(b, l, x, y);
  return arith::AddIOp::create(b, l, x, y);
}

/// out[..., i, ...] = sum of in[..., k, ...] over the k selected by
/// exclusive/reverse: a reduction over a second copy of the axis.
struct CumSumLowering : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    RankedTensorType type = op.getType();
    Type et = type.getElementType();
    int64_t rank = type.getRank(), axis = op.getAxis();
    SmallVector<AffineExpr> inE;
    for (int64_t i = 0; i < rank; ++i)
      inE.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inE, ctx),
        AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    iters.push_back(IteratorType::reduction);
    arith::CmpIPredicate pred =
        op.getReverse() ? (op.getExclusive() ? arith::CmpIPredicate::sgt
                                             : arith::CmpIPredicate::sge)
                        : (op.getExclusive() ? arith::CmpIPredicate::slt
                                             : arith::CmpIPredicate::sle);
    Value init = filled(rewriter, loc, type, scalar(rewriter, loc, et, 0.0));
    Value r = linalg::GenericOp::create(
                  rewriter, loc, type, adaptor.getInput(), init, maps, iters,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value i = linalg::IndexOp::create(b, l, axis);
                    Value k = linalg::IndexOp::create(b, l, rank);
                    Value take = arith::CmpIOp::create(b, l, pred, k, i);
                    Value v = arith::SelectOp::create(b, l, take, a[0],
                                                      scalar(b, l, et, 0.0));
                    linalg::YieldOp::create(b, l, addScalar(b, l, a[1], v));
                  })
                  .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Top-k by ranking: rank[i] counts the elements that sort before element i
/// (better value, or equal value at a lower index), so ranks are a
/// permutation; output slot r takes the element whose rank is r. Quadratic
/// in the axis length, which suits the short axes top-k is used on.
struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getInput();
    auto inType = cast<RankedTensorType>(x.getType());
    Type et = inType.getElementType(), i64 = rewriter.getI64Type();
    int64_t rank = inType.getRank(), axis = op.getAxis();
    bool largest = op.getLargest(), f = isa<FloatType>(et);
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // Loops (dims..., j): x at the dims, x at j along the axis.
    SmallVector<AffineExpr> atJ;
    for (int64_t i = 0; i < rank; ++i)
      atJ.push_back(d(i == axis ? rank : i));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    iters.push_back(IteratorType::reduction);
    auto rankType = RankedTensorType::get(inType.getShape(), i64);
    Value ranks =
        linalg::GenericOp::create(
            rewriter, loc, rankType, ValueRange{x, x},
            filled(rewriter, loc, rankType, scalar(rewriter, loc, i64, 0)),
            SmallVector<AffineMap>{id.getMajorSubMap(rank),
                                   AffineMap::get(rank + 1, 0, atJ, ctx),
                                   id.getMajorSubMap(rank)},
            iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value xi = a[0], xj = a[1];
              Value better, equal;
              if (f) {
                better =
                    arith::CmpFOp::create(b, l,
                                          largest ? arith::CmpFPredicate::OGT
                                                  : arith::CmpFPredicate::OLT,
                                          xj, xi);
                equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                              xj, xi);
              } else {
                better =
                    arith::CmpIOp::create(b, l,
                                          largest ? arith::CmpIPredicate::sgt
                                                  : arith::CmpIPredicate::slt,
                                          xj, xi);
                equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                              xj, xi);
              }
              Value earlier =
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                        linalg::IndexOp::create(b, l, rank),
                                        linalg::IndexOp::create(b, l, axis));
              Value before = arith::OrIOp::create(
                  b, l, better, arith::AndIOp::create(b, l, equal, earlier));
              Value one = arith::ExtUIOp::create(b, l, b.getI64Type(), before);
              linalg::YieldOp::create(
                  b, l, arith::AddIOp::create(b, l, a[2], one).getResult());
            })
            .getResult(0);
    // Loops (out dims..., i): indices[..., r, ...] = the i with rank r.
    auto idxType = op.getIndices().getType();
    Value indices =
        linalg::GenericOp::create(
            rewriter, loc, idxType, ValueRange{ranks},
            filled(rewriter, loc, idxType, scalar(rewriter, loc, i64, 0)),
            SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, atJ, ctx),
                                   id.getMajorSubMap(rank)},
            iters,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value r = arith::IndexCastOp::create(
                  b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
              Value i = arith::IndexCastOp::create(
                  b, l, b.getI64Type(), linalg::IndexOp::create(b, l, rank));
              Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                a[0], r);
              Value v = arith::SelectOp::create(
                  b, l, hit, i, scalar(b, l, b.getI64Type(), 0));
              linalg::YieldOp::create(
                  b, l, arith::AddIOp::create(b, l, a[1], v).getResult());
            })
            .getResult(0);
    auto valType = op.getValues().getType();
    SmallVector<IteratorType> par(rank, IteratorType::parallel);
    Value values =
        linalg::GenericOp::create(
            rewriter, loc, valType, ValueRange{indices},
            emptyTensor(rewriter, loc, valType),
            SmallVector<AffineMap>{
                AffineMap::getMultiDimIdentityMap(rank, ctx),
                AffineMap::getMultiDimIdentityMap(rank, ctx)},
            par,
            [&](OpBuilder &b, Location l, ValueRange a) {
              SmallVector<Value> coords;
              for (int64_t i = 0; i < rank; ++i)
                coords.push_back(
                    i == axis ? arith::IndexCastOp::create(
                                    b, l, b.getIndexType(), a[0])
                                    .getResult()
                              : linalg::IndexOp::create(b, l, i).getResult());
              linalg::YieldOp::create(
                  b, l, tensor::ExtractOp::create(b, l, x, coords).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, {values, indices});
    return success();
  }
};

/// One linalg.generic: a loop per letter (the result's first, then the
/// summed ones), each operand indexed by its letters; repeated letters in a
/// term read a diagonal.
struct EinsumLowering : OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto [lhs, result] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    std::string letters = result.str();
    for (StringRef t : terms)
      for (char c : t)
        if (letters.find(c) == std::string::npos)
          letters.push_back(c);
    auto mapOf = [&](StringRef term) {
      SmallVector<AffineExpr> e;
      for (char c : term)
        e.push_back(getAffineDimExpr(letters.find(c), ctx));
      return AffineMap::get(letters.size(), 0, e, ctx);
    };
    SmallVector<AffineMap> maps;
    for (StringRef t : terms)
      maps.push_back(mapOf(t));
    maps.push_back(mapOf(result));
    SmallVector<IteratorType> iters(result.size(), IteratorType::parallel);
    iters.append(letters.size() - result.size(), IteratorType::reduction);
    RankedTensorType out = op.getType();
    Value init = filled(rewriter, loc, out,
                        scalar(rewriter, loc, out.getElementType(), 0.0));
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, adaptor.getInputs(), init, maps, iters,
            [](OpBuilder &b, Location l, ValueRange a) {
              Value p = a[0];
              for (Value v : a.drop_front().drop_back())
                p = arith::MulFOp::create(b, l, p, v);
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, a.back(), p).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// A kernel's ops are lowered where they are: the region is inlined and the
/// fusion's results become the yielded values (codegen re-forms the loops).
struct FusionLowering : OpConversionPattern<FusionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FusionOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    SmallVector<Value> results(yield.getValues());
    rewriter.eraseOp(yield);
    rewriter.inlineBlockBefore(&body, op);
    rewriter.replaceOp(op, results);
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
    // Function boundaries take the signless twins of unsigned tensor types.
    TypeConverter converter;
    converter.addConversion([](Type t) { return t; });
    converter.addConversion(
        [](RankedTensorType t) -> Type { return signlessType(t); });
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType()) &&
             converter.isLegal(&f.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp r) { return converter.isLegal(r); });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = signlessType(op.getType());
    int64_t rank = out.getRank(), axis = op.getAxis();
    int64_t dim = op.getInput().getType().getDimSize(axis);
    Value r = readAtCoords(
        rewriter, loc, out, adaptor.getInput(), adaptor.getIndices(),
        AffineMap::getMultiDimIdentityMap(rank, getContext()),
        [&](OpBuilder &b, Location l, ValueRange a) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(
                d == axis ? wrapIndex(b, l, a[0], dim)
                          : linalg::IndexOp::create(b, l, d).getResult());
          return coords;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // result[b.., i.., s..] = input[b.., indices[b.., i.., 0..k), s..].
    Location loc = op.getLoc();
    RankedTensorType out = signlessType(op.getType());
    auto inType = op.getInput().getType();
    auto idxType = op.getIndices().getType();
    int64_t rank = out.getRank(), batch = op.getBatchDims();
    int64_t outer = idxType.getRank() - 1, k = idxType.getShape().back();
    Value indices = adaptor.getIndices();
    Value r = readAtCoords(
        rewriter, loc, out, adaptor.getInput(), ValueRange{}, {},
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> prefix, coords;
          for (int64_t d = 0; d < outer; ++d)
            prefix.push_back(linalg::IndexOp::create(b, l, d));
          for (int64_t d = 0; d < batch; ++d)
            coords.push_back(prefix[d]);
          for (int64_t j = 0; j < k; ++j) {
            SmallVector<Value> at(prefix);
            at.push_back(arith::ConstantIndexOp::create(b, l, j));
            Value v = tensor::ExtractOp::create(b, l, indices, at);
            coords.push_back(wrapIndex(b, l, v, inType.getDimSize(batch + j)));
          }
          for (int64_t d = outer; d < rank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          return coords;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// ONNX Resize as one linalg.generic over the result: per dim, the output
/// index maps to a source coordinate (coordinate_transformation_mode), which
/// selects taps (1 for nearest, 2 linear, 4 cubic) with weights; the result
/// is the sum over the product of every dim's taps. Coordinates are computed
/// in f64 like ONNX's reference implementation.
struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  struct Tap {
    Value index;  // clamped source index
    Value weight; // f64
  };

  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = op.getType();
    auto inType = op.getInput().getType();
    int64_t rank = out.getRank();
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode();
    bool crop = ctm == "tf_crop_and_resize";
    DenseFPElementsAttr constScales;
    matchPattern(op.getScales(), m_Constant(&constScales));
    // Scales and roi are read once, outside the loop nest.
    auto f64 = rewriter.getF64Type();
    auto read = [&](Value t, int64_t i) -> Value {
      Value v = tensor::ExtractOp::create(
          rewriter, loc, t,
          ValueRange{arith::ConstantIndexOp::create(rewriter, loc, i)});
      return castScalar(rewriter, loc, v, f64);
    };
    SmallVector<Value> scale(rank), roiStart(rank), roiEnd(rank);
    SmallVector<bool> identity(rank);
    for (int64_t d = 0; d < rank; ++d) {
      identity[d] =
          !crop && constScales &&
          constScales.getValues<APFloat>()[d].convertToDouble() == 1.0 &&
          inType.getDimSize(d) == out.getDimSize(d);
      if (identity[d])
        continue;
      scale[d] = read(adaptor.getScales(), d);
      if (crop) {
        roiStart[d] = read(adaptor.getRoi(), d);
        roiEnd[d] = read(adaptor.getRoi(), d + rank);
      }
    }
    Value input = adaptor.getInput();
    Type et = out.getElementType();
    auto id = AffineMap::getMultiDimIdentityMap(rank, getContext());
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, ValueRange{}, emptyTensor(rewriter, loc, out),
            {id}, iters,
            [&](OpBuilder &b, Location l, ValueRange) {
              auto cf = [&](double v) { return scalar(b, l, f64, v); };
              Value outside; // i1: a crop coordinate left the input
              SmallVector<SmallVector<Tap>> taps(rank);
              for (int64_t d = 0; d < rank; ++d) {
                Value idx = linalg::IndexOp::create(b, l, d);
                if (identity[d]) {
                  taps[d].push_back({idx, Value()});
                  continue;
                }
                int64_t inLen = inType.getDimSize(d);
                Value x = arith::UIToFPOp::create(
                    b, l, f64,
                    arith::IndexCastUIOp::create(b, l, b.getI64Type(), idx));
                Value s = scale[d];
                // ONNX's reference uses scale * input length as the output
                // length.
                Value outLen =
                    arith::MulFOp::create(b, l, s, cf((double)inLen));
                Value outLenIsOne = arith::CmpFOp::create(
                    b, l, arith::CmpFPredicate::OEQ, outLen, cf(1));
                Value xo;
                auto halfPixel = [&] {
                  return arith::SubFOp::create(
                      b, l,
                      arith::DivFOp::create(
                          b, l, arith::AddFOp::create(b, l, x, cf(0.5)), s),
                      cf(0.5));
                };
                if (ctm == "half_pixel") {
                  xo = halfPixel();
                } else if (ctm == "pytorch_half_pixel") {
                  xo = arith::SelectOp::create(b, l, outLenIsOne, cf(-0.5),
                                               halfPixel());
                } else if (ctm == "align_corners") {
                  Value v = arith::DivFOp::create(
                      b, l, arith::MulFOp::create(b, l, x, cf(inLen - 1)),
                      arith::SubFOp::create(b, l, outLen, cf(1)));
                  xo = arith::SelectOp::create(b, l, outLenIsOne, cf(0), v);
                } else if (ctm == "asymmetric") {
                  xo = arith::DivFOp::create(b, l, x, s);
                } else if (ctm == "tf_half_pixel_for_nn") {
                  xo = arith::DivFOp::create(
                      b, l, arith::AddFOp::create(b, l, x, cf(0.5)), s);
                } else { // tf_crop_and_resize
                  Value span = arith::MulFOp::create(
                      b, l, arith::SubFOp::create(b, l, roiEnd[d], roiStart[d]),
                      cf(inLen - 1));
                  Value many = arith::DivFOp::create(
                      b, l, arith::MulFOp::create(b, l, x, span),
                      arith::SubFOp::create(b, l, outLen, cf(1)));
                  Value one = arith::DivFOp::create(b, l, span, cf(2));
                  xo = arith::AddFOp::create(
                      b, l,
                      arith::SelectOp::create(b, l, outLenIsOne, one, many),
                      arith::MulFOp::create(b, l, roiStart[d], cf(inLen - 1)));
                  Value below = arith::CmpFOp::create(
                      b, l, arith::CmpFPredicate::OLT, xo, cf(0));
                  Value above = arith::CmpFOp::create(
                      b, l, arith::CmpFPredicate::OGT, xo, cf(inLen - 1));
                  Value o = arith::OrIOp::create(b, l, below, above);
                  outside =
                      outside ? arith::OrIOp::create(b, l, outside, o) : o;
                }
                Value fl = math::FloorOp::create(b, l, xo);
                Value ratio = arith::SubFOp::create(b, l, xo, fl);
                Value base = arith::IndexCastOp::create(
                    b, l, b.getIndexType(),
                    arith::FPToSIOp::create(b, l, b.getI64Type(), fl));
                auto clamped = [&](int64_t off) {
                  Value i = arith::AddIOp::create(
                      b, l, base, arith::ConstantIndexOp::create(b, l, off));
                  i = arith::MaxSIOp::create(
                      b, l, i, arith::ConstantIndexOp::create(b, l, 0));
                  return arith::MinSIOp::create(
                             b, l, i,
                             arith::ConstantIndexOp::create(b, l, inLen - 1))
                      .getResult();
                };
                if (mode == "nearest") {
                  // Take floor + 1 when the ratio rounds up.
                  StringRef nm = op.getNearestMode();
                  Value up;
                  using P = arith::CmpFPredicate;
                  if (nm == "round_prefer_floor")
                    up = arith::CmpFOp::create(b, l, P::OGT, ratio, cf(0.5));
                  else if (nm == "round_prefer_ceil")
                    up = arith::CmpFOp::create(b, l, P::OGE, ratio, cf(0.5));
                  else if (nm == "floor")
                    up = scalar(b, l, b.getI1Type(), 0);
                  else
                    up = arith::CmpFOp::create(b, l, P::OGT, ratio, cf(0));
                  taps[d].push_back({arith::SelectOp::create(
                                         b, l, up, clamped(1), clamped(0)),
                                     Value()});
                  continue;
                }
                SmallVector<Value> w;
                SmallVector<int64_t> offsets;
                if (mode == "linear") {
                  w = {arith::SubFOp::create(b, l, cf(1), ratio), ratio};
                  offsets = {0, 1};
                } else {
                  double a = op.getCubicCoeffA().convertToDouble();
                  // Keys' cubic kernel at distances 1+r, r, 1-r, 2-r.
                  auto near = [&](Value t) { // |t| <= 1
                    Value p = arith::SubFOp::create(
                        b, l, arith::MulFOp::create(b, l, cf(a + 2), t),
                        cf(a + 3));
                    return arith::AddFOp::create(
                        b, l,
                        arith::MulFOp::create(
                            b, l, arith::MulFOp::create(b, l, p, t), t),
                        cf(1));
                  };
                  auto far = [&](Value t) { // 1 < |t| < 2
                    Value p = arith::SubFOp::create(
                        b, l, arith::MulFOp::create(b, l, cf(a), t), cf(5 * a));
                    p = arith::AddFOp::create(
                        b, l, arith::MulFOp::create(b, l, p, t), cf(8 * a));
                    return arith::SubFOp::create(
                        b, l, arith::MulFOp::create(b, l, p, t), cf(4 * a));
                  };
                  Value inv = arith::SubFOp::create(b, l, cf(1), ratio);
                  w = {far(arith::AddFOp::create(b, l, ratio, cf(1))),
                       near(ratio), near(inv),
                       far(arith::AddFOp::create(b, l, inv, cf(1)))};
                  offsets = {-1, 0, 1, 2};
                }
                if (op.getExcludeOutside()) {
                  // Zero the weights of taps outside the input, renormalize.
                  Value sum = cf(0);
                  for (auto [k, off] : llvm::enumerate(offsets)) {
                    Value i = arith::AddIOp::create(
                        b, l, base, arith::ConstantIndexOp::create(b, l, off));
                    Value ge = arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::sge, i,
                        arith::ConstantIndexOp::create(b, l, 0));
                    Value lt = arith::CmpIOp::create(
                        b, l, arith::CmpIPredicate::slt, i,
                        arith::ConstantIndexOp::create(b, l, inLen));
                    Value in = arith::AndIOp::create(b, l, ge, lt);
                    w[k] = arith::SelectOp::create(b, l, in, w[k], cf(0));
                    sum = arith::AddFOp::create(b, l, sum, w[k]);
                  }
                  for (Value &v : w)
                    v = arith::DivFOp::create(b, l, v, sum);
                }
                for (auto [k, off] : llvm::enumerate(offsets))
                  taps[d].push_back({clamped(off), w[k]});
              }
              // Sum over the product of the taps of every dim.
              Value acc = cf(0);
              SmallVector<int64_t> pos(rank, 0);
              while (true) {
                SmallVector<Value> coords;
                Value w;
                for (int64_t d = 0; d < rank; ++d) {
                  const Tap &t = taps[d][pos[d]];
                  coords.push_back(t.index);
                  if (t.weight)
                    w = w ? arith::MulFOp::create(b, l, w, t.weight).getResult()
                          : t.weight;
                }
                Value v = tensor::ExtractOp::create(b, l, input, coords);
                v = castScalar(b, l, v, f64);
                acc = arith::AddFOp::create(
                    b, l, acc, w ? arith::MulFOp::create(b, l, v, w) : v);
                int64_t d = rank - 1;
                while (d >= 0 && ++pos[d] == (int64_t)taps[d].size())
                  pos[d--] = 0;
                if (d < 0)
                  break;
              }
              if (outside)
                acc = arith::SelectOp::create(
                    b, l, outside,
                    cf(op.getExtrapolationValue().convertToDouble()), acc);
              linalg::YieldOp::create(b, l, castScalar(b, l, acc, et));
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Element `i` of the 1-D integer tensor `t`, as an index.
Value extractIndex(OpBuilder &b, Location l, Value t, int64_t i) {
  Value v = tensor::ExtractOp::create(
      b, l, t, ValueRange{arith::ConstantIndexOp::create(b, l, i)});
  return arith::IndexCastOp::create(b, l, b.getIndexType(), v);
}

Value clampIndex(OpBuilder &b, Location l, Value v, int64_t lo, int64_t hi) {
  v = arith::MaxSIOp::create(b, l, v, arith::ConstantIndexOp::create(b, l, lo));
  return arith::MinSIOp::create(b, l, v,
                                arith::ConstantIndexOp::create(b, l, hi));
}

struct DynamicSliceLowering : OpConversionPattern<DynamicSliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = signlessType(op.getType());
    auto inType = op.getInput().getType();
    int64_t rank = out.getRank();
    int64_t n = op.getStarts().getType().getDimSize(0);
    OpBuilder &b = rewriter;
    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, loc, v).getResult();
    };
    using P = arith::CmpIPredicate;
    // Per dim (start, step), from the entries naming it (the last wins).
    SmallVector<Value> start(rank, c(0)), step(rank, c(1));
    for (int64_t k = 0; k < n; ++k) {
      Value ax = extractIndex(b, loc, adaptor.getAxes(), k);
      Value axNeg = arith::CmpIOp::create(b, loc, P::slt, ax, c(0));
      ax = arith::SelectOp::create(
          b, loc, axNeg, arith::AddIOp::create(b, loc, ax, c(rank)), ax);
      Value s = extractIndex(b, loc, adaptor.getStarts(), k);
      Value st = extractIndex(b, loc, adaptor.getSteps(), k);
      Value pos = arith::CmpIOp::create(b, loc, P::sgt, st, c(0));
      Value sNeg = arith::CmpIOp::create(b, loc, P::slt, s, c(0));
      for (int64_t d = 0; d < rank; ++d) {
        int64_t dim = inType.getDimSize(d);
        Value sn = arith::SelectOp::create(
            b, loc, sNeg, arith::AddIOp::create(b, loc, s, c(dim)), s);
        // ONNX clamps to [0, dim] for positive steps, [-1, dim-1] else.
        Value fwd = clampIndex(b, loc, sn, 0, dim);
        Value bwd = clampIndex(b, loc, sn, -1, dim - 1);
        Value sc = arith::SelectOp::create(b, loc, pos, fwd, bwd);
        Value sel = arith::CmpIOp::create(b, loc, P::eq, ax, c(d));
        start[d] = arith::SelectOp::create(b, loc, sel, sc, start[d]);
        step[d] = arith::SelectOp::create(b, loc, sel, st, step[d]);
      }
    }
    Value input = adaptor.getInput();
    auto id = AffineMap::getMultiDimIdentityMap(rank, getContext());
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, ValueRange{}, emptyTensor(rewriter, loc, out),
            {id}, iters,
            [&](OpBuilder &nb, Location l, ValueRange) {
              SmallVector<Value> coords;
              for (int64_t d = 0; d < rank; ++d) {
                Value i = arith::AddIOp::create(
                    nb, l, start[d],
                    arith::MulIOp::create(
                        nb, l, linalg::IndexOp::create(nb, l, d), step[d]));
                coords.push_back(
                    clampIndex(nb, l, i, 0, inType.getDimSize(d) - 1));
              }
              linalg::YieldOp::create(
                  nb, l,
                  tensor::ExtractOp::create(nb, l, input, coords).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct DynamicPadLowering : OpConversionPattern<DynamicPadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicPadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType out = signlessType(op.getType());
    auto inType = op.getInput().getType();
    int64_t rank = out.getRank();
    StringRef mode = op.getMode();
    SmallVector<Value> begin;
    for (int64_t d = 0; d < rank; ++d)
      begin.push_back(extractIndex(rewriter, loc, adaptor.getPads(), d));
    Value value = adaptor.getValue()
                      ? tensor::ExtractOp::create(
                            rewriter, loc, adaptor.getValue(), ValueRange{})
                            .getResult()
                      : scalar(rewriter, loc, out.getElementType(), 0.0);
    Value input = adaptor.getInput();
    auto id = AffineMap::getMultiDimIdentityMap(rank, getContext());
    SmallVector<IteratorType> iters(rank, IteratorType::parallel);
    using P = arith::CmpIPredicate;
    Value r =
        linalg::GenericOp::create(
            rewriter, loc, out, ValueRange{}, emptyTensor(rewriter, loc, out),
            {id}, iters,
            [&](OpBuilder &b, Location l, ValueRange) {
              auto c = [&](int64_t v) {
                return arith::ConstantIndexOp::create(b, l, v).getResult();
              };
              SmallVector<Value> coords;
              Value inside;
              for (int64_t d = 0; d < rank; ++d) {
                int64_t n = inType.getDimSize(d);
                Value j = arith::SubIOp::create(
                    b, l, linalg::IndexOp::create(b, l, d), begin[d]);
                if (mode == "constant") {
                  Value ge = arith::CmpIOp::create(b, l, P::sge, j, c(0));
                  Value lt = arith::CmpIOp::create(b, l, P::slt, j, c(n));
                  Value ok = arith::AndIOp::create(b, l, ge, lt);
                  inside =
                      inside ? arith::AndIOp::create(b, l, inside, ok) : ok;
                } else if (mode == "reflect") {
                  // j < 0 -> -j; j >= n -> 2(n-1) - j.
                  j = arith::MaxSIOp::create(
                      b, l, j, arith::SubIOp::create(b, l, c(0), j));
                  j = arith::MinSIOp::create(
                      b, l, j, arith::SubIOp::create(b, l, c(2 * (n - 1)), j));
                }
                coords.push_back(clampIndex(b, l, j, 0, n - 1));
              }
              Value v = tensor::ExtractOp::create(b, l, input, coords);
              if (inside)
                v = arith::SelectOp::create(b, l, inside, v, value);
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    rewriter.replaceOp(op, r);
    return success();
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
  patterns
      .add<UnaryLowering<SignOp>, UnaryLowering<NotOp>, BinaryLowering<EqualOp>,
           BinaryLowering<LessOp>, BinaryLowering<LessEqualOp>,
           BinaryLowering<GreaterOp>, BinaryLowering<GreaterEqualOp>,
           BinaryLowering<AndOp>, BinaryLowering<OrOp>, BinaryLowering<XorOp>,
           BinaryLowering<BitShiftOp>, BinaryLowering<ModOp>, IsInfLowering,
           IsNaNLowering, RangeLowering>(ctx);
  patterns
      .add<UnaryLowering<AcosOp>, UnaryLowering<AcoshOp>, UnaryLowering<AsinOp>,
           UnaryLowering<AsinhOp>, UnaryLowering<AtanOp>,
           UnaryLowering<AtanhOp>, UnaryLowering<CoshOp>, UnaryLowering<SinhOp>,
           UnaryLowering<TanOp>, UnaryLowering<SoftplusOp>,
           UnaryLowering<EluOp>, UnaryLowering<ThresholdedReluOp>,
           UnaryLowering<ShrinkOp>, ArgLowering<ArgMaxOp>,
           ArgLowering<ArgMinOp>, HardmaxLowering, CumSumLowering, TopKLowering,
           EinsumLowering, MaxPoolIndicesLowering>(ctx);
  patterns.add<GatherElementsLowering, GatherNDLowering, ResizeLowering,
               DynamicSliceLowering, DynamicPadLowering, FusionLowering>(ctx);
}
