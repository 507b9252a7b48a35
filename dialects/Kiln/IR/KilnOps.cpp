//===- KilnOps.cpp - kiln op verifiers, type inference, folders -----------===//

#include "Kiln/IR/KilnOps.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::kiln;

static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, ",");
  os << "]";
  return s;
}

LogicalResult mlir::kiln::broadcastShapes(ArrayRef<int64_t> a,
                                          ArrayRef<int64_t> b,
                                          SmallVectorImpl<int64_t> &result) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      result[i] = da;
    else if (da == 1)
      result[i] = db;
    else if (ShapedType::isDynamic(da) || ShapedType::isDynamic(db))
      result[i] = ShapedType::kDynamic;
    else
      return failure();
  }
  return success();
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError("min (")
           << getMin()->convertToDouble() << ") is greater than max ("
           << getMax()->convertToDouble() << ")";
  return success();
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto ints = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput()))
    return ints.mapValues(ints.getElementType(),
                          [](const APInt &v) { return -v; });
  if (auto fps = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput()))
    return fps.mapValues(fps.getElementType(), [](const APFloat &v) {
      APFloat r = v;
      r.changeSign();
      return r.bitcastToAPInt();
    });
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // Integer casts fold so that shape computations become constants.
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  auto toInt = dyn_cast<IntegerType>(getType().getElementType());
  if (!input || !toInt)
    return {};
  // Booleans and unsigned integers zero-extend (bool -> 0/1, not 0/-1).
  bool zext = getInput().getType().getElementType().isUnsignedInteger();
  return input.mapValues(toInt, [&](const APInt &v) {
    if (toInt.getWidth() == 1)
      return APInt(1, !v.isZero());
    return v.getBitWidth() == 1 || zext ? v.zextOrTrunc(toInt.getWidth())
                                        : v.sextOrTrunc(toInt.getWidth());
  });
}

static LogicalResult inferBroadcast(std::optional<Location> loc, Type lhs,
                                    Type rhs, SmallVectorImpl<Type> &results,
                                    Type elementType = {}) {
  auto l = cast<RankedTensorType>(lhs), r = cast<RankedTensorType>(rhs);
  if (l.getElementType() != r.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             l.getElementType(), " vs ", r.getElementType());
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(l.getShape(), r.getShape(), shape)))
    return emitOptionalError(loc, "shapes ", shapeStr(l.getShape()), " and ",
                             shapeStr(r.getShape()), " do not broadcast");
  results.push_back(RankedTensorType::get(
      shape, elementType ? elementType : l.getElementType()));
  return success();
}

#define KILN_BINARY_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> l, \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    return inferBroadcast(l, adaptor.getLhs().getType(),                       \
                          adaptor.getRhs().getType(), results);                \
  }
KILN_BINARY_INFER(AddOp)
KILN_BINARY_INFER(SubOp)
KILN_BINARY_INFER(MulOp)
KILN_BINARY_INFER(DivOp)
KILN_BINARY_INFER(PowOp)
KILN_BINARY_INFER(MaxOp)
KILN_BINARY_INFER(MinOp)
#undef KILN_BINARY_INFER

/// Folds a binary op whose operands are constants of the result's shape (or
/// splats), through the int and float callbacks.
template <typename IntFn, typename FloatFn>
static OpFoldResult foldBinary(Operation *op, ArrayRef<Attribute> operands,
                               IntFn intFn, FloatFn floatFn) {
  auto type = cast<ShapedType>(op->getResult(0).getType());
  for (Value v : op->getOperands()) {
    auto t = cast<ShapedType>(v.getType());
    Attribute attr = operands[v == op->getOperand(0) ? 0 : 1];
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense || (t.getShape() != type.getShape() && !dense.isSplat()))
      return {};
  }
  auto lhs = cast<DenseElementsAttr>(operands[0]);
  auto rhs = cast<DenseElementsAttr>(operands[1]);
  // Broadcast splats to the result shape first.
  if (lhs.getType().getShape() != type.getShape())
    lhs = DenseElementsAttr::get(type, lhs.getSplatValue<Attribute>());
  if (rhs.getType().getShape() != type.getShape())
    rhs = DenseElementsAttr::get(type, rhs.getSplatValue<Attribute>());
  Attribute ops[2] = {lhs, rhs};
  // The callbacks may return std::nullopt to refuse folding an element.
  if (isa<IntegerType>(type.getElementType()))
    return constFoldBinaryOpConditional<IntegerAttr, APInt, void>(
        ops,
        [&](APInt x, APInt y) -> std::optional<APInt> { return intFn(x, y); });
  return constFoldBinaryOpConditional<FloatAttr, APFloat, void>(
      ops, [&](APFloat x, APFloat y) -> std::optional<APFloat> {
        return floatFn(x, y);
      });
}

/// x op splat(identity) -> x when no broadcast changes the type.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble() == value;
  return dense.getSplatValue<APInt>().getSExtValue() == (int64_t)value;
}

OpFoldResult AddOp::fold(FoldAdaptor a) {
  if (isSplatOf(a.getRhs(), 0) && getLhs().getType() == getType())
    return getLhs();
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x + y; },
      [](APFloat x, const APFloat &y) { return x + y; });
}
OpFoldResult SubOp::fold(FoldAdaptor a) {
  if (isSplatOf(a.getRhs(), 0) && getLhs().getType() == getType())
    return getLhs();
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x - y; },
      [](APFloat x, const APFloat &y) { return x - y; });
}
OpFoldResult MulOp::fold(FoldAdaptor a) {
  if (isSplatOf(a.getRhs(), 1) && getLhs().getType() == getType())
    return getLhs();
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x * y; },
      [](APFloat x, const APFloat &y) { return x * y; });
}
OpFoldResult DivOp::fold(FoldAdaptor a) {
  if (isSplatOf(a.getRhs(), 1) && getLhs().getType() == getType())
    return getLhs();
  if (isa<IntegerType>(getType().getElementType()) && isSplatOf(a.getRhs(), 0))
    return {}; // Leave division by zero to run time.
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinary(
      *this, a.getOperands(),
      [&](APInt x, const APInt &y) -> std::optional<APInt> {
        // Leave division by zero and overflow to run time.
        bool overflow = false;
        if (y.isZero())
          return std::nullopt;
        if (isUnsigned)
          return x.udiv(y);
        APInt r = x.sdiv_ov(y, overflow);
        if (overflow)
          return std::nullopt;
        return r;
      },
      [](APFloat x, const APFloat &y) { return x / y; });
}
OpFoldResult PowOp::fold(FoldAdaptor a) {
  if (isSplatOf(a.getRhs(), 1) && getLhs().getType() == getType())
    return getLhs();
  return {};
}
OpFoldResult MaxOp::fold(FoldAdaptor a) {
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinary(
      *this, a.getOperands(),
      [&](APInt x, const APInt &y) {
        return (isUnsigned ? x.uge(y) : x.sge(y)) ? x : y;
      },
      [](APFloat x, const APFloat &y) { return llvm::maximum(x, y); });
}
OpFoldResult MinOp::fold(FoldAdaptor a) {
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldBinary(
      *this, a.getOperands(),
      [&](APInt x, const APInt &y) {
        return (isUnsigned ? x.ule(y) : x.sle(y)) ? x : y;
      },
      [](APFloat x, const APFloat &y) { return llvm::minimum(x, y); });
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  SmallVector<Type> values;
  if (failed(inferBroadcast(loc, adaptor.getLhs().getType(),
                            adaptor.getRhs().getType(), values)))
    return failure();
  auto cond = rankedType(adaptor.getCondition());
  auto valueType = cast<RankedTensorType>(values[0]);
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(cond.getShape(), valueType.getShape(), shape)))
    return emitOptionalError(loc, "condition shape ", shapeStr(cond.getShape()),
                             " does not broadcast with ",
                             shapeStr(valueType.getShape()));
  results.push_back(RankedTensorType::get(shape, valueType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Comparisons, logical and integer ops
//===----------------------------------------------------------------------===//

#define KILN_BROADCAST_INFER(OP, ELEMENT)                                      \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *ctx, std::optional<Location> l, Adaptor adaptor,            \
      SmallVectorImpl<Type> &results) {                                        \
    (void)ctx;                                                                 \
    return inferBroadcast(l, adaptor.getLhs().getType(),                       \
                          adaptor.getRhs().getType(), results, ELEMENT);       \
  }
KILN_BROADCAST_INFER(EqualOp, IntegerType::get(ctx, 1))
KILN_BROADCAST_INFER(LessOp, IntegerType::get(ctx, 1))
KILN_BROADCAST_INFER(LessEqualOp, IntegerType::get(ctx, 1))
KILN_BROADCAST_INFER(GreaterOp, IntegerType::get(ctx, 1))
KILN_BROADCAST_INFER(GreaterEqualOp, IntegerType::get(ctx, 1))
KILN_BROADCAST_INFER(AndOp, Type())
KILN_BROADCAST_INFER(OrOp, Type())
KILN_BROADCAST_INFER(XorOp, Type())
KILN_BROADCAST_INFER(BitShiftOp, Type())
KILN_BROADCAST_INFER(ModOp, Type())
#undef KILN_BROADCAST_INFER

/// Folds a comparison of constants (of the result's shape, or splats) to an
/// i1 constant; `pred` maps the ordering (-1, 0, 1; std::nullopt when
/// unordered, i.e. a NaN) to the result. Shape subgraphs use it.
template <typename Pred>
static OpFoldResult foldCompare(Operation *op, ArrayRef<Attribute> operands,
                                Pred pred) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!type.hasStaticShape() || type.getNumElements() > (1 << 16))
    return {};
  SmallVector<DenseElementsAttr, 2> dense;
  for (auto [v, a] : llvm::zip(op->getOperands(), operands)) {
    auto d = dyn_cast_if_present<DenseElementsAttr>(a);
    if (!d || (cast<ShapedType>(v.getType()).getShape() != type.getShape() &&
               !d.isSplat()))
      return {};
    dense.push_back(d);
  }
  Type et = dense[0].getElementType();
  bool isUnsigned = et.isUnsignedInteger() || et.isInteger(1);
  SmallVector<bool> out;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    std::optional<int> order;
    if (isa<FloatType>(et)) {
      auto at = [&](DenseElementsAttr d) {
        return d.isSplat() ? d.getSplatValue<APFloat>()
                           : d.getValues<APFloat>()[i];
      };
      switch (at(dense[0]).compare(at(dense[1]))) {
      case APFloat::cmpLessThan:
        order = -1;
        break;
      case APFloat::cmpEqual:
        order = 0;
        break;
      case APFloat::cmpGreaterThan:
        order = 1;
        break;
      case APFloat::cmpUnordered:
        break;
      }
    } else {
      auto at = [&](DenseElementsAttr d) {
        return d.isSplat() ? d.getSplatValue<APInt>() : d.getValues<APInt>()[i];
      };
      APInt x = at(dense[0]), y = at(dense[1]);
      order = x == y ? 0 : (isUnsigned ? x.ult(y) : x.slt(y)) ? -1 : 1;
    }
    out.push_back(order && pred(*order));
  }
  return DenseElementsAttr::get(type, out);
}

OpFoldResult EqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getOperands(), [](int o) { return o == 0; });
}
OpFoldResult LessOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getOperands(), [](int o) { return o < 0; });
}
OpFoldResult LessEqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getOperands(), [](int o) { return o <= 0; });
}
OpFoldResult GreaterOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getOperands(), [](int o) { return o > 0; });
}
OpFoldResult GreaterEqualOp::fold(FoldAdaptor a) {
  return foldCompare(*this, a.getOperands(), [](int o) { return o >= 0; });
}

static APFloat noFloat(APFloat x, const APFloat &) { return x; }
OpFoldResult AndOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x & y; },
      noFloat);
}
OpFoldResult OrOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x | y; },
      noFloat);
}
OpFoldResult XorOp::fold(FoldAdaptor a) {
  return foldBinary(
      *this, a.getOperands(), [](APInt x, const APInt &y) { return x ^ y; },
      noFloat);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  if (auto producer = getInput().getDefiningOp<NotOp>())
    return producer.getInput();
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  return input.mapValues(getType().getElementType(),
                         [](const APInt &v) { return ~v; });
}

LogicalResult IsInfOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  results.push_back(
      rankedType(adaptor.getInput()).clone(IntegerType::get(ctx, 1)));
  return success();
}

LogicalResult IsNaNOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  results.push_back(
      rankedType(adaptor.getInput()).clone(IntegerType::get(ctx, 1)));
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "left" && getDirection() != "right")
    return emitOpError("direction must be \"left\" or \"right\", got \"")
           << getDirection() << "\"";
  return success();
}

LogicalResult ModOp::verify() {
  if (!getFmod() && isa<FloatType>(getType().getElementType()))
    return emitOpError("fmod must be set for floating-point operands");
  return success();
}

LogicalResult RangeOp::verify() {
  auto start = getStart().getType(), out = getType();
  if (start.getRank() != 0)
    return emitOpError("start and delta must be scalars (rank 0), got rank ")
           << start.getRank();
  if (out.getRank() != 1)
    return emitOpError("result must be 1-D, got rank ") << out.getRank();
  if (start.getElementType() != out.getElementType())
    return emitOpError("result element type ")
           << out.getElementType() << " differs from the operands' "
           << start.getElementType();
  return success();
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  auto start = dyn_cast_if_present<DenseElementsAttr>(adaptor.getStart());
  auto delta = dyn_cast_if_present<DenseElementsAttr>(adaptor.getDelta());
  RankedTensorType type = getType();
  if (!start || !delta || !type.hasStaticShape() ||
      type.getNumElements() > (1 << 16))
    return {};
  SmallVector<Attribute> values;
  Type et = type.getElementType();
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    // Computed as the lowering does: start + i * delta in the element type.
    if (auto ft = dyn_cast<FloatType>(et)) {
      APFloat idx(ft.getFloatSemantics());
      idx.convertFromAPInt(APInt(64, i), /*isSigned=*/true,
                           APFloat::rmNearestTiesToEven);
      APFloat v = delta.getSplatValue<APFloat>();
      v.multiply(idx, APFloat::rmNearestTiesToEven);
      v.add(start.getSplatValue<APFloat>(), APFloat::rmNearestTiesToEven);
      values.push_back(FloatAttr::get(et, v));
    } else {
      APInt d = delta.getSplatValue<APInt>();
      APInt v = start.getSplatValue<APInt>() + d * i;
      values.push_back(IntegerAttr::get(et, v));
    }
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = rankedType(adaptor.getLhs()), rhs = rankedType(adaptor.getRhs());
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "operands must have rank >= 2, got ",
                             lhs.getRank(), " and ", rhs.getRank());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "operand element types differ");
  ArrayRef<int64_t> l = lhs.getShape(), r = rhs.getShape();
  int64_t k = l.back(), k2 = r[r.size() - 2];
  if (!ShapedType::isDynamic(k) && !ShapedType::isDynamic(k2) && k != k2)
    return emitOptionalError(loc, "contraction sizes differ: lhs ", shapeStr(l),
                             " rhs ", shapeStr(r));
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(l.drop_back(2), r.drop_back(2), shape)))
    return emitOptionalError(loc, "batch dimensions of ", shapeStr(l), " and ",
                             shapeStr(r), " do not broadcast");
  shape.push_back(l[l.size() - 2]);
  shape.push_back(r.back());
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto a = rankedType(adaptor.getA()), b = rankedType(adaptor.getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOptionalError(loc, "A and B must be 2-D");
  int64_t m = adaptor.getTransA() ? a.getDimSize(1) : a.getDimSize(0);
  int64_t n = adaptor.getTransB() ? b.getDimSize(0) : b.getDimSize(1);
  results.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult GemmOp::verify() {
  auto a = getA().getType(), b = getB().getType();
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError("A and B must be 2-D");
  int64_t ka = getTransA() ? a.getDimSize(0) : a.getDimSize(1);
  int64_t kb = getTransB() ? b.getDimSize(1) : b.getDimSize(0);
  if (ka != kb)
    return emitOpError("contraction sizes differ: ") << ka << " vs " << kb;
  if (getC()) {
    SmallVector<int64_t> shape;
    if (failed(broadcastShapes(getC().getType().getShape(),
                               getType().getShape(), shape)) ||
        shape != SmallVector<int64_t>(getType().getShape()))
      return emitOpError("C of shape ")
             << shapeStr(getC().getType().getShape())
             << " does not broadcast to " << shapeStr(getType().getShape());
  }
  return success();
}

/// Output extent of a sliding window (conv, pooling); std::nullopt when the
/// window does not fit the padded input (or the window is ill-formed).
static std::optional<int64_t> windowOutput(int64_t in, int64_t k,
                                           int64_t stride, int64_t dilation,
                                           int64_t padBegin, int64_t padEnd,
                                           bool ceilMode) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k))
    return ShapedType::kDynamic;
  if (k < 1 || stride < 1 || dilation < 1)
    return std::nullopt;
  int64_t span = in + padBegin + padEnd - dilation * (k - 1) - 1;
  if (span < 0)
    return std::nullopt;
  int64_t out = (ceilMode ? llvm::divideCeil(span, stride) : span / stride) + 1;
  // A window may not start in the end padding.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1 || filter.getRank() != input.getRank())
    return emitOptionalError(loc, "input rank ", input.getRank(),
                             " and filter rank ", filter.getRank(),
                             " must be equal and >= 3");
  if ((int64_t)adaptor.getStrides().size() != spatial ||
      (int64_t)adaptor.getDilations().size() != spatial ||
      (int64_t)adaptor.getPads().size() != 2 * spatial)
    return emitOptionalError(loc, "expected ", spatial,
                             " strides/dilations "
                             "and ",
                             2 * spatial, " pads");
  BoolAttr lastAttr = adaptor.getChannelsLastAttr();
  bool last = lastAttr && lastAttr.getValue();
  if (last && spatial != 2)
    return emitOptionalError(loc, "channels_last convolutions must be 2-D");
  int64_t inSp = last ? 1 : 2, fSp = last ? 0 : 2;
  SmallVector<int64_t> shape = {input.getDimSize(0)};
  if (!last)
    shape.push_back(filter.getDimSize(0));
  for (int64_t i = 0; i < spatial; ++i) {
    std::optional<int64_t> out = windowOutput(
        input.getDimSize(i + inSp), filter.getDimSize(i + fSp),
        adaptor.getStrides()[i], adaptor.getDilations()[i],
        adaptor.getPads()[i], adaptor.getPads()[i + spatial], false);
    if (!out)
      return emitOptionalError(loc, "filter window of spatial dim ", i,
                               " does not fit the padded input");
    shape.push_back(*out);
  }
  if (last)
    shape.push_back(filter.getDimSize(filter.getRank() - 1));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvOp::verify() {
  auto input = getInput().getType(), filter = getFilter().getType();
  if (input.getRank() < 3 || filter.getRank() != input.getRank())
    return emitOpError("input rank ")
           << input.getRank() << " and filter rank " << filter.getRank()
           << " must be equal and >= 3";
  int64_t group = getGroup();
  if (group < 1)
    return emitOpError("group must be >= 1, got ") << group;
  if (getChannelsLast() && input.getRank() != 4)
    return emitOpError("channels_last convolutions must be 2-D");
  int64_t c = input.getDimSize(getChannelDim()),
          f = filter.getDimSize(getFilterOutDim());
  if (c % group || f % group)
    return emitOpError("channels (")
           << c << ") and filters (" << f << ") must be divisible by group "
           << group;
  if (filter.getDimSize(getFilterInDim()) * group != c)
    return emitOpError("filter expects ")
           << filter.getDimSize(getFilterInDim()) * group
           << " input channels, input has " << c;
  if (llvm::any_of(getStrides(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d < 1; }))
    return emitOpError("strides and dilations must be >= 1");
  if (llvm::any_of(getPads(), [](int64_t p) { return p < 0; }))
    return emitOpError("pads must be non-negative");
  if (getBias() && (getBias().getType().getRank() != 1 ||
                    getBias().getType().getDimSize(0) != f))
    return emitOpError("bias must be 1-D with ") << f << " elements";
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization, pooling, softmax, reductions
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must have rank >= 2");
  int64_t c = input.getDimSize(1);
  for (Value v : {getScale(), getBias(), getMean(), getVariance()}) {
    auto t = rankedType(v);
    if (t.getRank() != 1 || t.getDimSize(0) != c)
      return emitOpError("scale, bias, mean and variance must be 1-D with ")
             << c << " elements, got " << shapeStr(t.getShape());
  }
  return success();
}

LogicalResult LayerNormOp::verify() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  ArrayRef<int64_t> normShape =
      getInput().getType().getShape().drop_front(axis);
  for (Value v : {getScale(), getBias()}) {
    if (!v)
      continue;
    SmallVector<int64_t> shape;
    if (failed(broadcastShapes(rankedType(v).getShape(), normShape, shape)) ||
        ArrayRef<int64_t>(shape) != normShape)
      return emitOpError("scale/bias shape ")
             << shapeStr(rankedType(v).getShape())
             << " does not broadcast to the normalized shape "
             << shapeStr(normShape);
  }
  return success();
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getType().getRank();
  if ((int64_t)getAxis() < 0 || (int64_t)getAxis() >= rank)
    return emitOpError("axis ")
           << (int64_t)getAxis() << " out of range for rank " << rank;
  return success();
}

template <typename PoolOp>
static LogicalResult inferPool(std::optional<Location> loc,
                               typename PoolOp::Adaptor adaptor,
                               SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t spatial = input.getRank() - 2;
  auto k = adaptor.getKernelShape();
  if (spatial < 1 || (int64_t)k.size() != spatial ||
      (int64_t)adaptor.getStrides().size() != spatial ||
      (int64_t)adaptor.getDilations().size() != spatial ||
      (int64_t)adaptor.getPads().size() != 2 * spatial)
    return emitOptionalError(
        loc, "expected ", spatial, " kernel sizes/strides/dilations and ",
        2 * spatial, " pads for input rank ", input.getRank());
  bool last = false;
  if constexpr (!std::is_same_v<PoolOp, MaxPoolIndicesOp>) {
    BoolAttr attr = adaptor.getChannelsLastAttr();
    last = attr && attr.getValue();
  }
  int64_t first = last ? 1 : 2;
  SmallVector<int64_t> shape(input.getShape().take_front(last ? 1 : 2));
  for (int64_t i = 0; i < spatial; ++i) {
    std::optional<int64_t> out =
        windowOutput(input.getDimSize(i + first), k[i], adaptor.getStrides()[i],
                     adaptor.getDilations()[i], adaptor.getPads()[i],
                     adaptor.getPads()[i + spatial], adaptor.getCeilMode());
    if (!out)
      return emitOptionalError(loc, "pooling window of spatial dim ", i,
                               " does not fit the padded input");
    shape.push_back(*out);
  }
  if (last)
    shape.push_back(input.getDimSize(input.getRank() - 1));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  if (llvm::any_of(op.getKernelShape(), [](int64_t k) { return k < 1; }) ||
      llvm::any_of(op.getStrides(), [](int64_t s) { return s < 1; }) ||
      llvm::any_of(op.getDilations(), [](int64_t d) { return d < 1; }))
    return op.emitOpError("kernel sizes, strides and dilations must be >= 1");
  if (llvm::any_of(op.getPads(), [](int64_t p) { return p < 0; }))
    return op.emitOpError("pads must be non-negative");
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferPool<MaxPoolOp>(loc, adaptor, results);
}
LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  return inferPool<AvgPoolOp>(loc, adaptor, results);
}
LogicalResult MaxPoolOp::verify() { return verifyPool(*this); }
LogicalResult
MaxPoolIndicesOp::inferReturnTypes(MLIRContext *ctx,
                                   std::optional<Location> loc, Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  if (failed(inferPool<MaxPoolIndicesOp>(loc, adaptor, results)))
    return failure();
  results.back() =
      cast<RankedTensorType>(results.back()).clone(IntegerType::get(ctx, 64));
  return success();
}
LogicalResult MaxPoolIndicesOp::verify() { return verifyPool(*this); }
LogicalResult AvgPoolOp::verify() { return verifyPool(*this); }

template <typename ReduceOp>
static LogicalResult inferReduce(std::optional<Location> loc,
                                 typename ReduceOp::Adaptor adaptor,
                                 SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  llvm::SmallBitVector reduced(input.getRank(), adaptor.getAxes().empty());
  for (int64_t axis : adaptor.getAxes()) {
    if (axis < 0 || axis >= input.getRank())
      return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                               input.getRank());
    reduced.set(axis);
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < input.getRank(); ++i) {
    if (!reduced[i])
      shape.push_back(input.getDimSize(i));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

#define KILN_REDUCE(OP)                                                        \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &results) {                                        \
    return inferReduce<OP>(loc, adaptor, results);                             \
  }                                                                            \
  LogicalResult OP::verify() {                                                 \
    SmallVector<int64_t> axes(getAxes());                                      \
    llvm::sort(axes);                                                          \
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())            \
      return emitOpError("axes must be unique");                               \
    return success();                                                          \
  }
KILN_REDUCE(ReduceSumOp)
KILN_REDUCE(ReduceMeanOp)
KILN_REDUCE(ReduceMaxOp)
KILN_REDUCE(ReduceMinOp)
KILN_REDUCE(ReduceProdOp)
#undef KILN_REDUCE

template <typename ArgOp>
static LogicalResult inferArg(std::optional<Location> loc,
                              typename ArgOp::Adaptor adaptor,
                              SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                             input.getRank());
  if (input.getDimSize(axis) == 0)
    return emitOptionalError(loc, "axis ", axis, " is empty");
  SmallVector<int64_t> shape(input.getShape());
  if (adaptor.getKeepdims())
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  results.push_back(
      RankedTensorType::get(shape, IntegerType::get(input.getContext(), 64)));
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArg<ArgMaxOp>(loc, adaptor, results);
}
LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  return inferArg<ArgMinOp>(loc, adaptor, results);
}

static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " out of range for rank " << rank;
  return success();
}

LogicalResult HardmaxOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}

LogicalResult CumSumOp::verify() {
  return verifyAxis(*this, getAxis(), getType().getRank());
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                             input.getRank());
  int64_t dim = input.getDimSize(axis);
  if (k < 0 || (!ShapedType::isDynamic(dim) && k > dim))
    return emitOptionalError(loc, "k = ", k, " is not in [0, ", dim, "]");
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = k;
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

/// Splits "ab,bc->ac" into operand terms and the result term.
static bool parseEinsum(StringRef eq, SmallVectorImpl<StringRef> &terms,
                        StringRef &result) {
  auto [lhs, rhs] = eq.split("->");
  if (lhs.size() == eq.size())
    return false;
  result = rhs;
  lhs.split(terms, ',');
  auto isTerm = [](StringRef t) { return llvm::all_of(t, llvm::isAlpha); };
  return llvm::all_of(terms, isTerm) && isTerm(result);
}

LogicalResult EinsumOp::verify() {
  SmallVector<StringRef> terms;
  StringRef result;
  if (!parseEinsum(getEquation(), terms, result))
    return emitOpError("equation '")
           << getEquation()
           << "' is not of the form 'ab,bc->ac' (letters only)";
  if (terms.size() != getInputs().size())
    return emitOpError("equation has ") << terms.size() << " operand terms for "
                                        << getInputs().size() << " operands";
  llvm::DenseMap<char, int64_t> sizes;
  for (auto [term, v] : llvm::zip(terms, getInputs())) {
    auto t = rankedType(v);
    if (t.getElementType() != getType().getElementType())
      return emitOpError("operand element type ")
             << t.getElementType() << " differs from the result's";
    if ((int64_t)term.size() != t.getRank())
      return emitOpError("term '")
             << term << "' names " << term.size() << " dims of a rank "
             << t.getRank() << " operand";
    for (auto [c, d] : llvm::zip(term, t.getShape())) {
      auto [it, inserted] = sizes.try_emplace(c, d);
      if (!inserted && it->second != d)
        return emitOpError("dimension '")
               << c << "' has sizes " << it->second << " and " << d;
    }
  }
  SmallVector<int64_t> shape;
  for (char c : result) {
    auto it = sizes.find(c);
    if (it == sizes.end())
      return emitOpError("result dimension '") << c << "' names no operand dim";
    if (llvm::count(result, c) != 1)
      return emitOpError("result dimension '") << c << "' is repeated";
    shape.push_back(it->second);
  }
  if (ArrayRef<int64_t>(shape) != getType().getShape())
    return emitOpError("result shape should be ") << shapeStr(shape);
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ")
           << in.getElementType() << " to " << out.getElementType();
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << shapeStr(in.getShape()) << " (" << in.getNumElements()
           << " elements) to " << shapeStr(out.getShape()) << " ("
           << out.getNumElements() << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x).
struct FoldReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<ReshapeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(),
                                           producer.getInput());
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<FoldReshapeChain>(context);
}

namespace {
/// transpose(transpose(x, p), q) -> transpose(x, p o q), or x.
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> perm;
    for (int64_t q : op.getPerm())
      perm.push_back(inner.getPerm()[q]);
    if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      rewriter.replaceOp(op, inner.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getInput(),
        rewriter.getDenseI64ArrayAttr(perm));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if ((int64_t)perm.size() != input.getRank())
    return emitOptionalError(loc, "perm has ", perm.size(),
                             " entries for rank ", input.getRank());
  llvm::SmallBitVector seen(perm.size());
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "perm ", shapeStr(perm),
                               " is not a permutation");
    seen.set(p);
    shape.push_back(input.getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return getInput();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat())
    return dense.resizeSplat(getType());
  return {};
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "needs at least one input");
  auto first = rankedType(adaptor.getInputs().front());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank())
    return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                             first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : adaptor.getInputs()) {
    auto t = rankedType(v);
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "inputs differ in rank or element type");
    for (int64_t i = 0; i < t.getRank(); ++i) {
      if (i == axis)
        continue;
      if (t.getDimSize(i) != first.getDimSize(i))
        return emitOptionalError(loc, "input shapes ",
                                 shapeStr(first.getShape()), " and ",
                                 shapeStr(t.getShape()), " differ in dim ", i);
    }
    if (ShapedType::isDynamic(t.getDimSize(axis)) ||
        ShapedType::isDynamic(shape[axis]))
      shape[axis] = ShapedType::kDynamic;
    else
      shape[axis] += t.getDimSize(axis);
  }
  results.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  // 1-D constant concatenation (shape computations).
  if (getType().getRank() != 1 || !getType().hasStaticShape())
    return {};
  SmallVector<Attribute> values;
  for (Attribute a : adaptor.getInputs()) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(a);
    if (!dense)
      return {};
    llvm::append_range(values, dense.getValues<Attribute>());
  }
  return DenseElementsAttr::get(getType(), values);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto starts = adaptor.getStarts(), ends = adaptor.getEnds(),
       steps = adaptor.getSteps();
  int64_t rank = input.getRank();
  if ((int64_t)starts.size() != rank || (int64_t)ends.size() != rank ||
      (int64_t)steps.size() != rank)
    return emitOptionalError(loc, "expected ", rank, " starts, ends and steps");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (steps[i] == 0)
      return emitOptionalError(loc, "step of dim ", i, " is zero");
    int64_t dim = input.getDimSize(i);
    if (ShapedType::isDynamic(dim)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    bool ok = steps[i] > 0 ? (0 <= starts[i] && starts[i] <= dim &&
                              0 <= ends[i] && ends[i] <= dim)
                           : (-1 <= ends[i] && ends[i] < dim &&
                              -1 <= starts[i] && starts[i] < dim);
    if (!ok)
      return emitOptionalError(loc, "slice [", starts[i], ":", ends[i], ":",
                               steps[i], "] of dim ", i, " (size ", dim,
                               ") is not normalized");
    int64_t n = llvm::divideCeilSigned(ends[i] - starts[i], steps[i]);
    shape.push_back(std::max<int64_t>(n, 0));
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!dense || getType().getRank() != 1 || !getType().hasStaticShape())
    return {};
  if (dense.isSplat())
    return dense.resizeSplat(getType());
  auto values = llvm::to_vector(dense.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t i = 0, e = getType().getDimSize(0); i < e; ++i)
    result.push_back(values[getStarts()[0] + i * getSteps()[0]]);
  return DenseElementsAttr::get(getType(), result);
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis ", axis, " out of range for rank ",
                             input.getRank());
  SmallVector<int64_t> shape(input.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(axis + 1));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  auto indices =
      dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getIndices());
  if (!input || !indices || input.getType().getRank() != 1 ||
      !getType().hasStaticShape())
    return {};
  auto values = llvm::to_vector(input.getValues<Attribute>());
  int64_t n = values.size();
  SmallVector<Attribute> result;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < 0)
      i += n;
    if (i < 0 || i >= n)
      return {};
    result.push_back(values[i]);
  }
  return DenseElementsAttr::get(getType(), result);
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto pads = adaptor.getPads();
  int64_t rank = input.getRank();
  if ((int64_t)pads.size() != 2 * rank)
    return emitOptionalError(loc, "expected ", 2 * rank, " pads, got ",
                             pads.size());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = input.getDimSize(i);
    shape.push_back(ShapedType::isDynamic(d) ? d
                                             : d + pads[i] + pads[i + rank]);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult PadOp::verify() {
  if (llvm::any_of(getPads(), [](int64_t p) { return p < 0; }))
    return emitOpError("pads must be non-negative");
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("mode must be constant, reflect or edge, got '")
           << mode << "'";
  auto type = getInput().getType();
  int64_t rank = type.getRank();
  for (int64_t i = 0; i < rank && (int64_t)getPads().size() == 2 * rank; ++i) {
    int64_t d = type.getDimSize(i);
    if (ShapedType::isDynamic(d))
      continue;
    if (mode == "reflect" && (getPads()[i] >= d || getPads()[i + rank] >= d))
      return emitOpError("reflect pads must be smaller than the input "
                         "dimension ")
             << i << " (size " << d << ")";
    if (mode == "edge" && d == 0 && (getPads()[i] || getPads()[i + rank]))
      return emitOpError("edge padding of the empty dimension ") << i;
  }
  return success();
}

LogicalResult
GatherElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                   Adaptor adaptor,
                                   SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  results.push_back(
      RankedTensorType::get(indices.getShape(), input.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::verify() {
  auto input = getInput().getType(), indices = getIndices().getType();
  int64_t axis = getAxis();
  if (input.getRank() != indices.getRank())
    return emitOpError("indices rank ")
           << indices.getRank() << " differs from input rank "
           << input.getRank();
  if (axis < 0 || axis >= input.getRank())
    return emitOpError("axis ")
           << axis << " out of range for rank " << input.getRank();
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t batch = adaptor.getBatchDims();
  if (indices.getRank() < 1 || batch < 0 || batch >= indices.getRank() ||
      ShapedType::isDynamic(indices.getShape().back()))
    return emitOptionalError(loc, "indices must have rank > batch_dims and a "
                                  "static last dim");
  int64_t k = indices.getShape().back();
  if (batch + k > input.getRank())
    return emitOptionalError(loc,
                             "batch_dims + indices.shape[-1] = ", batch + k,
                             " exceeds the input rank ", input.getRank());
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, input.getShape().drop_front(batch + k));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherNDOp::verify() {
  auto input = getInput().getType(), indices = getIndices().getType();
  for (int64_t i = 0; i < getBatchDims(); ++i)
    if (input.getDimSize(i) != indices.getDimSize(i))
      return emitOpError("batch dim ")
             << i << " differs: " << input << " vs " << indices;
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType() ||
      in.getRank() != out.getRank())
    return emitOpError("result ") << out << " must have the rank and element "
                                  << "type of the input " << in;
  if (getScales().getType().getRank() != 1 ||
      getScales().getType().getDimSize(0) != in.getRank())
    return emitOpError("scales must be a 1-D tensor of ")
           << in.getRank() << " elements";
  StringRef mode = getMode(), ctm = getCoordinateTransformationMode(),
            nearest = getNearestMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("unknown mode '") << mode << "'";
  if (!llvm::is_contained(
          ArrayRef<StringRef>({"half_pixel", "pytorch_half_pixel",
                               "align_corners", "asymmetric",
                               "tf_half_pixel_for_nn", "tf_crop_and_resize"}),
          ctm))
    return emitOpError("unknown coordinate_transformation_mode '")
           << ctm << "'";
  if (!llvm::is_contained(
          ArrayRef<StringRef>(
              {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}),
          nearest))
    return emitOpError("unknown nearest_mode '") << nearest << "'";
  bool crop = ctm == "tf_crop_and_resize";
  if (crop != static_cast<bool>(getRoi()))
    return emitOpError("roi is required by, and only by, tf_crop_and_resize");
  if (getRoi() && (getRoi().getType().getRank() != 1 ||
                   getRoi().getType().getDimSize(0) != 2 * in.getRank()))
    return emitOpError("roi must be a 1-D tensor of ")
           << 2 * in.getRank() << " elements";
  return success();
}

LogicalResult DynamicSliceOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType() ||
      in.getRank() != out.getRank())
    return emitOpError("result ") << out << " must have the rank and element "
                                  << "type of the input " << in;
  for (Value v : {getStarts(), getAxes(), getSteps()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != 1 || t.getShape() != getStarts().getType().getShape())
      return emitOpError("starts, axes and steps must be 1-D of one length");
  }
  return success();
}

LogicalResult DynamicPadOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType() ||
      in.getRank() != out.getRank())
    return emitOpError("result ") << out << " must have the rank and element "
                                  << "type of the input " << in;
  auto pads = getPads().getType();
  if (pads.getRank() != 1 || pads.getDimSize(0) != 2 * in.getRank())
    return emitOpError("pads must be a 1-D tensor of ")
           << 2 * in.getRank() << " elements";
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("unknown mode '") << mode << "'";
  if (Value v = getValue()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getRank() != 0 || t.getElementType() != in.getElementType())
      return emitOpError("value must be a rank-0 tensor of the input's "
                         "element type");
  }
  return success();
}

LogicalResult ExpandOp::verify() {
  auto in = getInput().getType(), out = getType();
  SmallVector<int64_t> shape;
  if (in.getElementType() != out.getElementType() ||
      failed(broadcastShapes(in.getShape(), out.getShape(), shape)) ||
      ArrayRef<int64_t>(shape) != out.getShape())
    return emitOpError("cannot broadcast ") << in << " to " << out;
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat())
    return dense.resizeSplat(getType());
  return {};
}

LogicalResult FusionOp::verify() {
  Block &body = getBody().front();
  auto yield = body.empty() ? nullptr : dyn_cast<YieldOp>(&body.back());
  if (!yield)
    return emitOpError("body must end with kiln.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().size() << " values of types "
           << yield.getValues().getTypes() << " but has results of types "
           << getResultTypes();
  if (body.getOperations().size() < 2)
    return emitOpError("kernel '") << getName() << "' holds no op";
  return success();
}

#define GET_OP_CLASSES
#include "Kiln/IR/KilnOps.cpp.inc"
