//===- ImportONNX.cpp - ONNX model -> kiln dialect ------------------------===//
//
// libonnx parses (binary or text), checks and shape-infers the model; each
// node then becomes kiln ops located at the node's name. Ops are built with
// createOrFold, so shape-computing subgraphs (Shape -> Gather -> Concat ...)
// fold to constants as they are imported and attribute-like inputs (Slice
// bounds, Pad pads, Clip bounds, axes) can be read back as constants.
//
// libonnx reports errors by throwing; this file is compiled with exceptions
// and turns them into diagnostics at the boundary.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX.h"

#include "Kiln/IR/KilnOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

constexpr int64_t kMinOpset = 13, kMaxOpset = 17;

/// Why `dims` is not a shape Kiln can compile, or an empty string. Bounding
/// each dimension also bounds the time libonnx's shape inference takes (it
/// is linear in the size of a Conv's spatial dims).
template <typename Range> std::string checkDims(const Range &dims) {
  constexpr int64_t kMaxDim = int64_t(1) << 32;
  constexpr int64_t kMaxElements = int64_t(1) << 60;
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return "dimension " + std::to_string(d) + " is negative";
    if (d > kMaxDim)
      return "dimension " + std::to_string(d) + " is larger than 2^32";
    if (d != 0 && n > kMaxElements / d)
      return "shape has more than 2^60 elements";
    n *= d;
  }
  return "";
}

/// Raised inside the importer for an error already reported as a diagnostic.
struct ImportFailure {};

class Importer {
public:
  Importer(MLIRContext *ctx, StringRef source)
      : ctx(ctx), b(ctx), source(source.str()) {}

  OwningOpRef<ModuleOp> run(onnx::ModelProto &model);

private:
  // Diagnostics.
  [[noreturn]] void fail(const Twine &msg) {
    emitError(FileLineColLoc::get(ctx, source, 0, 0)) << msg;
    throw ImportFailure();
  }
  [[noreturn]] void fail(const onnx::NodeProto &node, const Twine &msg) {
    emitError(nodeLoc(node))
        << "node '" << nodeName(node) << "' (" << node.op_type() << ", opset "
        << opset << "): " << msg;
    throw ImportFailure();
  }
  std::string nodeName(const onnx::NodeProto &node) {
    return node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                               : node.name();
  }
  Location nodeLoc(const onnx::NodeProto &node) {
    return NameLoc::get(b.getStringAttr(nodeName(node)),
                        FileLineColLoc::get(ctx, source, 0, 0));
  }

  // Types and constants.
  /// The element type of an ONNX dtype; null if Kiln does not support it.
  Type tryElementType(int32_t dtype);
  Type elementType(int32_t dtype, const Twine &what);
  static std::string dtypeName(int32_t dtype) {
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(dtype));
  }
  RankedTensorType tensorType(const onnx::TypeProto &type, const Twine &what);
  ElementsAttr tensorAttr(const onnx::TensorProto &tensor, const Twine &what);

  // Node helpers.
  Value input(const onnx::NodeProto &node, int i);
  bool hasInput(const onnx::NodeProto &node, int i) {
    return i < node.input_size() && !node.input(i).empty();
  }
  const onnx::AttributeProto *attr(const onnx::NodeProto &node, StringRef n) {
    for (const auto &a : node.attribute())
      if (a.name() == n)
        return &a;
    return nullptr;
  }
  int64_t intAttr(const onnx::NodeProto &node, StringRef n, int64_t dflt) {
    auto *a = attr(node, n);
    return a ? a->i() : dflt;
  }
  float floatAttr(const onnx::NodeProto &node, StringRef n, float dflt) {
    auto *a = attr(node, n);
    return a ? a->f() : dflt;
  }
  std::string stringAttr(const onnx::NodeProto &node, StringRef n,
                         StringRef dflt) {
    auto *a = attr(node, n);
    return a ? a->s() : dflt.str();
  }
  std::optional<SmallVector<int64_t>> intsAttr(const onnx::NodeProto &node,
                                               StringRef n) {
    auto *a = attr(node, n);
    if (!a)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }
  /// The value of an attribute-like input, which must fold to a constant.
  SmallVector<int64_t> constInts(const onnx::NodeProto &node, int i,
                                 StringRef what);
  std::optional<double> constScalar(const onnx::NodeProto &node, int i,
                                    StringRef what);
  int64_t normAxis(const onnx::NodeProto &node, int64_t axis, int64_t rank) {
    if (axis < -rank || axis >= rank)
      fail(node,
           "axis " + Twine(axis) + " out of range for rank " + Twine(rank));
    return axis < 0 ? axis + rank : axis;
  }
  RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  /// The shape inferred by libonnx for a node output, if it is static.
  RankedTensorType inferredType(const std::string &name) {
    auto it = inferred.find(name);
    return it == inferred.end() ? RankedTensorType() : it->second;
  }
  /// The static type of output `i` known before import (inferred by libonnx
  /// or declared as a graph output), or null.
  RankedTensorType knownType(const onnx::NodeProto &node, int i) {
    if (RankedTensorType t = inferredType(node.output(i)))
      return t;
    return declared.lookup(node.output(i));
  }
  /// Whether input `i` is present and folded to a constant.
  bool isConstInput(const onnx::NodeProto &node, int i) {
    return hasInput(node, i) && matchPattern(input(node, i), m_Constant());
  }
  /// Data movement ops whose attribute-like input is a graph input: the
  /// static output type alone determines the result (reshape-like ops).
  RankedTensorType shapeFromOutput(const onnx::NodeProto &node, int i,
                                   StringRef what) {
    if (RankedTensorType t = knownType(node, 0))
      return t;
    fail(node, Twine(what) + " (input '" + node.input(i) +
                   "') must be a compile-time constant, or the output shape "
                   "must be static");
  }
  SmallVector<Value> importDataOp(const onnx::NodeProto &node);
  Value quantize(Location loc, Value x, Value scale, Value zp, int64_t axis,
                 Type et);
  Value dequantize(Location loc, Value x, Value scale, Value zp, int64_t axis);
  Value importResize(const onnx::NodeProto &node);

  SmallVector<Value> importNode(const onnx::NodeProto &node);
  /// Activations, normalizations, arg/top-k, einsum, conv transpose ...;
  /// empty when `node` is none of them.
  SmallVector<Value> importNNOp(const onnx::NodeProto &node);
  Value composedReduce(const onnx::NodeProto &node, ArrayRef<int64_t> axes);
  SmallVector<int64_t> reduceAxesInput(const onnx::NodeProto &node);
  std::pair<Value, Value> normStats(Location loc, Value x,
                                    ArrayRef<int64_t> axes, double eps);
  Value convTranspose(const onnx::NodeProto &node);
  std::string einsumEquation(const onnx::NodeProto &node);
  /// A rank-0 constant of `like`'s element type.
  Value scalarLike(Location loc, Value like, double v) {
    Type et = typeOf(like).getElementType();
    auto t = RankedTensorType::get({}, et);
    Attribute a = isa<FloatType>(et)
                      ? Attribute(b.getFloatAttr(et, v))
                      : Attribute(b.getIntegerAttr(et, (int64_t)v));
    return ConstantOp::create(b, loc, DenseElementsAttr::get(t, a));
  }
  Value reshape(Location loc, Value v, ArrayRef<int64_t> shape) {
    auto t = RankedTensorType::get(shape, typeOf(v).getElementType());
    return b.createOrFold<ReshapeOp>(loc, t, v);
  }
  /// `convOperands` (x, w[, bias]) replace the node's inputs when given
  /// (ConvInteger/QLinearConv convolve de-zero-pointed operands).
  Value convOrPool(const onnx::NodeProto &node, bool isConv, bool isMax,
                   ArrayRef<Value> convOperands = {});

  MLIRContext *ctx;
  OpBuilder b;
  std::string source;
  int64_t opset = 0;
  int index = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<RankedTensorType> inferred;
  /// Static types of the graph outputs, for ops whose output shape depends
  /// on input values (Range, ConstantOfShape of a graph input).
  llvm::StringMap<RankedTensorType> declared;
  /// Declared types of the graph outputs (not in value_info).
  llvm::StringMap<RankedTensorType> graphOutputs;
};

Type Importer::tryElementType(int32_t dtype) {
  using TP = onnx::TensorProto;
  switch (dtype) {
  case TP::FLOAT:
    return b.getF32Type();
  case TP::DOUBLE:
    return b.getF64Type();
  case TP::FLOAT16:
    return b.getF16Type();
  case TP::BFLOAT16:
    return b.getBF16Type();
  case TP::INT8:
    return b.getIntegerType(8);
  case TP::INT16:
    return b.getIntegerType(16);
  case TP::INT32:
    return b.getI32Type();
  case TP::INT64:
    return b.getI64Type();
  case TP::BOOL:
    return b.getI1Type();
  case TP::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case TP::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case TP::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case TP::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  default:
    return Type();
  }
}

Type Importer::elementType(int32_t dtype, const Twine &what) {
  Type t = tryElementType(dtype);
  if (!t)
    fail(what + ": unsupported dtype " + dtypeName(dtype));
  return t;
}

RankedTensorType Importer::tensorType(const onnx::TypeProto &type,
                                      const Twine &what) {
  if (!type.has_tensor_type())
    fail(what + ": only tensor types are supported");
  const auto &tt = type.tensor_type();
  Type et = elementType(tt.elem_type(), what);
  if (!tt.has_shape())
    fail(what + ": has no shape (unranked tensors are not supported)");
  SmallVector<int64_t> shape;
  for (const auto &d : tt.shape().dim()) {
    if (!d.has_dim_value())
      fail(what + ": dimension '" +
           (d.has_dim_param() ? d.dim_param() : std::string("?")) +
           "' is dynamic; Kiln compiles static shapes");
    shape.push_back(d.dim_value());
  }
  std::string bad = checkDims(shape);
  if (!bad.empty())
    fail(what + ": " + bad);
  return RankedTensorType::get(shape, et);
}

template <typename T, typename Src>
static void appendAs(SmallVectorImpl<char> &bytes, const Src &src) {
  for (auto v : src) {
    T t = static_cast<T>(v);
    const char *p = reinterpret_cast<const char *>(&t);
    bytes.append(p, p + sizeof(T));
  }
}

ElementsAttr Importer::tensorAttr(const onnx::TensorProto &t,
                                  const Twine &what) {
  using TP = onnx::TensorProto;
  if (t.data_location() == TP::EXTERNAL)
    fail(what + ": external tensor data is not supported");
  Type et = elementType(t.data_type(), what);
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  std::string bad = checkDims(shape);
  if (!bad.empty())
    fail(what + ": " + bad);
  auto type = RankedTensorType::get(shape, et);
  int64_t n = type.getNumElements();
  size_t width = et.isInteger(1) ? 1 : et.getIntOrFloatBitWidth() / 8;
  SmallVector<char> bytes;
  if (t.has_raw_data()) {
    bytes.assign(t.raw_data().begin(), t.raw_data().end());
  } else {
    switch (t.data_type()) {
    case TP::FLOAT:
      appendAs<float>(bytes, t.float_data());
      break;
    case TP::DOUBLE:
      appendAs<double>(bytes, t.double_data());
      break;
    case TP::INT64:
      appendAs<int64_t>(bytes, t.int64_data());
      break;
    case TP::INT32:
      appendAs<int32_t>(bytes, t.int32_data());
      break;
    case TP::INT16:
    case TP::UINT16:
    case TP::FLOAT16:
    case TP::BFLOAT16:
      appendAs<int16_t>(bytes, t.int32_data());
      break;
    case TP::INT8:
    case TP::UINT8:
    case TP::BOOL:
      appendAs<int8_t>(bytes, t.int32_data());
      break;
    case TP::UINT32:
      appendAs<uint32_t>(bytes, t.uint64_data());
      break;
    case TP::UINT64:
      appendAs<uint64_t>(bytes, t.uint64_data());
      break;
    default:
      fail(what + ": unsupported tensor storage");
    }
  }
  if ((int64_t)bytes.size() != n * (int64_t)width)
    fail(what + ": holds " + Twine(bytes.size()) + " bytes, expected " +
         Twine(n * width) + " for shape of " + Twine(n) + " elements");
  // Weights become dense_resource blobs; small tensors (shapes, axes,
  // scalars) stay inline so folders can see them.
  if (n > 64 && isa<FloatType>(et)) {
    std::string name = t.name().empty() ? "constant" : t.name();
    for (char &c : name)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    return DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64,
                                                      /*mutable=*/false));
  }
  if (et.isInteger(1)) {
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(type, bits);
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, bytes, detectedSplat))
    fail(what + ": invalid tensor data");
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

Value Importer::input(const onnx::NodeProto &node, int i) {
  if (!hasInput(node, i))
    fail(node, "missing input #" + Twine(i));
  auto it = values.find(node.input(i));
  if (it == values.end())
    fail(node, "input '" + node.input(i) + "' is not defined before use");
  return it->second;
}

SmallVector<int64_t> Importer::constInts(const onnx::NodeProto &node, int i,
                                         StringRef what) {
  DenseIntElementsAttr attr;
  if (!matchPattern(input(node, i), m_Constant(&attr)))
    fail(node, Twine(what) + " (input '" + node.input(i) +
                   "') must be a compile-time constant");
  SmallVector<int64_t> r;
  for (const APInt &v : attr.getValues<APInt>())
    r.push_back(v.getSExtValue());
  return r;
}

std::optional<double> Importer::constScalar(const onnx::NodeProto &node, int i,
                                            StringRef what) {
  if (!hasInput(node, i))
    return std::nullopt;
  DenseFPElementsAttr attr;
  if (!matchPattern(input(node, i), m_Constant(&attr)) ||
      attr.getNumElements() != 1)
    fail(node, Twine(what) + " (input '" + node.input(i) +
                   "') must be a compile-time constant scalar");
  return (*attr.getValues<APFloat>().begin()).convertToDouble();
}

/// Conv, MaxPool and AveragePool share window attributes and auto_pad.
Value Importer::convOrPool(const onnx::NodeProto &node, bool isConv, bool isMax,
                           ArrayRef<Value> convOperands) {
  Location loc = nodeLoc(node);
  Value x = convOperands.empty() ? input(node, 0) : convOperands[0];
  auto xt = typeOf(x);
  int64_t spatial = xt.getRank() - 2;
  if (spatial < 1)
    fail(node, "input must have rank >= 3, got " + Twine(xt.getRank()));
  // ONNX MaxPool also takes (u)int8; kiln's pooling ops are float-only.
  if (!isConv && !isa<FloatType>(xt.getElementType()))
    fail(node, "input element type " +
                   llvm::formatv("{0}", xt.getElementType()).str() +
                   " is not supported (floating-point only)");
  SmallVector<int64_t> kernel;
  if (isConv) {
    auto wt = typeOf(convOperands.empty() ? input(node, 1) : convOperands[1]);
    kernel.assign(wt.getShape().drop_front(2).begin(),
                  wt.getShape().drop_front(2).end());
  } else {
    auto k = intsAttr(node, "kernel_shape");
    if (!k)
      fail(node, "kernel_shape is required");
    kernel = *k;
  }
  if ((int64_t)kernel.size() != spatial)
    fail(node, "kernel has " + Twine(kernel.size()) + " dims, input has " +
                   Twine(spatial) + " spatial dims");
  auto ones = SmallVector<int64_t>(spatial, 1);
  SmallVector<int64_t> strides = intsAttr(node, "strides").value_or(ones);
  SmallVector<int64_t> dilations = intsAttr(node, "dilations").value_or(ones);
  SmallVector<int64_t> pads =
      intsAttr(node, "pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if ((int64_t)strides.size() != spatial ||
      (int64_t)dilations.size() != spatial ||
      (int64_t)pads.size() != 2 * spatial)
    fail(node, "strides/dilations/pads do not match " + Twine(spatial) +
                   " spatial dims");
  std::string autoPad = stringAttr(node, "auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xt.getDimSize(i + 2);
      int64_t out = llvm::divideCeil(in, strides[i]);
      int64_t total = std::max<int64_t>(
          (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - in, 0);
      int64_t small = total / 2, big = total - small;
      pads[i] = autoPad == "SAME_UPPER" ? small : big;
      pads[i + spatial] = autoPad == "SAME_UPPER" ? big : small;
    }
  } else if (autoPad != "NOTSET") {
    fail(node, "unsupported auto_pad '" + autoPad + "'");
  }
  // Checked here so that the op's type inference cannot fail (a fatal error
  // in create()).
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = xt.getDimSize(i + 2);
    if (ShapedType::isDynamic(in) || kernel[i] < 1 || dilations[i] < 1)
      continue;
    if (dilations[i] * (kernel[i] - 1) + 1 > in + pads[i] + pads[i + spatial])
      fail(node, "the window of spatial dim " + Twine(i) +
                     " does not fit the padded input");
  }
  if (isConv) {
    Value w = input(node, 1),
          bias = hasInput(node, 2) ? input(node, 2) : Value();
    if (!convOperands.empty()) {
      w = convOperands[1];
      bias = convOperands.size() > 2 ? convOperands[2] : Value();
    }
    return ConvOp::create(b, loc, x, w, bias, b.getDenseI64ArrayAttr(strides),
                          b.getDenseI64ArrayAttr(dilations),
                          b.getDenseI64ArrayAttr(pads),
                          b.getI64IntegerAttr(intAttr(node, "group", 1)));
  }

  auto ceil = b.getBoolAttr(intAttr(node, "ceil_mode", 0) != 0);
  auto include = b.getBoolAttr(intAttr(node, "count_include_pad", 0) != 0);
  if (isMax)
    return MaxPoolOp::create(b, loc, x, b.getDenseI64ArrayAttr(kernel),
                             b.getDenseI64ArrayAttr(strides),
                             b.getDenseI64ArrayAttr(dilations),
                             b.getDenseI64ArrayAttr(pads), ceil, include);
  return AvgPoolOp::create(b, loc, x, b.getDenseI64ArrayAttr(kernel),
                           b.getDenseI64ArrayAttr(strides),
                           b.getDenseI64ArrayAttr(dilations),
                           b.getDenseI64ArrayAttr(pads), ceil, include);
}

/// Reduction axes given as an input. When they are not a constant (a graph
/// input), they follow from the node's static output shape with
/// keepdims=1: a dim of size 1 there and not in the input is reduced, and
/// reducing a size-1 dim changes no value.
SmallVector<int64_t> Importer::reduceAxesInput(const onnx::NodeProto &node) {
  DenseIntElementsAttr attr;
  if (matchPattern(input(node, 1), m_Constant(&attr)))
    return constInts(node, 1, "axes");
  RankedTensorType out = inferredType(node.output(0));
  if (!out)
    out = graphOutputs.lookup(node.output(0));
  auto it = typeOf(input(node, 0));
  if (!out || !intAttr(node, "keepdims", 1) || out.getRank() != it.getRank())
    fail(node, "axes (input '" + node.input(1) +
                   "') must be a compile-time constant, or follow from a "
                   "static output shape with keepdims=1");
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < it.getRank(); ++i) {
    if (out.getDimSize(i) == it.getDimSize(i))
      continue;
    if (out.getDimSize(i) != 1)
      fail(node, "output shape does not follow from reducing the input");
    axes.push_back(i);
  }
  // Reducing nothing but size-1 dims (or no dims) is the identity; an
  // empty axes list would mean all of them.
  if (axes.empty())
    for (int64_t i = 0; i < it.getRank(); ++i)
      if (it.getDimSize(i) == 1)
        axes.push_back(i);
  if (axes.empty() && !intAttr(node, "noop_with_empty_axes", 0))
    fail(node, "cannot tell the reduced axes from the output shape");
  return axes;
}

/// ReduceL1/L2/LogSum/LogSumExp/SumSquare as their ONNX function bodies,
/// over kiln reductions; LogSumExp subtracts the maximum first.
Value Importer::composedReduce(const onnx::NodeProto &node,
                               ArrayRef<int64_t> axesIn) {
  const std::string &op = node.op_type();
  Location loc = nodeLoc(node);
  Value x = input(node, 0);
  auto xt = typeOf(x);
  if (!isa<FloatType>(xt.getElementType()))
    fail(node, "only float inputs are supported");
  SmallVector<int64_t> axes(axesIn);
  for (int64_t &a : axes)
    a = normAxis(node, a, xt.getRank());
  auto axesAttr = b.getDenseI64ArrayAttr(axes);
  bool keep = intAttr(node, "keepdims", 1) != 0;
  auto sum = [&](Value v, bool k) {
    return b.createOrFold<ReduceSumOp>(loc, v, axesAttr, b.getBoolAttr(k));
  };
  if (op == "ReduceL1")
    return sum(b.createOrFold<AbsOp>(loc, x), keep);
  if (op == "ReduceL2")
    return b.createOrFold<SqrtOp>(loc,
                                  sum(b.createOrFold<MulOp>(loc, x, x), keep));
  if (op == "ReduceSumSquare")
    return sum(b.createOrFold<MulOp>(loc, x, x), keep);
  if (op == "ReduceLogSum")
    return b.createOrFold<LogOp>(loc, sum(x, keep));
  // ReduceLogSumExp.
  Value mx = b.createOrFold<ReduceMaxOp>(loc, x, axesAttr, b.getBoolAttr(true));
  Value s =
      sum(b.createOrFold<ExpOp>(loc, b.createOrFold<SubOp>(loc, x, mx)), keep);
  Value shift = reshape(loc, mx, typeOf(s).getShape());
  return b.createOrFold<AddOp>(loc, b.createOrFold<LogOp>(loc, s), shift);
}

/// Mean and 1/sqrt(variance + eps) over `axes`, keeping them as size 1.
std::pair<Value, Value>
Importer::normStats(Location loc, Value x, ArrayRef<int64_t> axes, double eps) {
  auto axesAttr = b.getDenseI64ArrayAttr(axes);
  Value mean =
      b.createOrFold<ReduceMeanOp>(loc, x, axesAttr, b.getBoolAttr(true));
  Value d = b.createOrFold<SubOp>(loc, x, mean);
  Value var = b.createOrFold<ReduceMeanOp>(
      loc, b.createOrFold<MulOp>(loc, d, d), axesAttr, b.getBoolAttr(true));
  Value inv = b.createOrFold<ReciprocalOp>(
      loc, b.createOrFold<SqrtOp>(
               loc, b.createOrFold<AddOp>(loc, var, scalarLike(loc, x, eps))));
  return {mean, inv};
}

/// ConvTranspose as a stride-1 convolution: the input with stride-1 zeros
/// inserted between its elements and padded by dilation * (k - 1) minus the
/// pads, and the filter flipped with its channel dims swapped per group.
Value Importer::convTranspose(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  Value x = input(node, 0), w = input(node, 1);
  auto xt = typeOf(x), wt = typeOf(w);
  int64_t spatial = xt.getRank() - 2;
  if (spatial < 1 || wt.getRank() != xt.getRank())
    fail(node, "input and weight must have the same rank >= 3");
  int64_t group = intAttr(node, "group", 1);
  int64_t c = xt.getDimSize(1);
  if (group < 1 || c % group || wt.getDimSize(0) != c)
    fail(node, "weight does not match the input channels and group");
  int64_t fg = wt.getDimSize(1), f = fg * group, cg = c / group;
  SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
  auto ones = SmallVector<int64_t>(spatial, 1);
  SmallVector<int64_t> strides = intsAttr(node, "strides").value_or(ones);
  SmallVector<int64_t> dil = intsAttr(node, "dilations").value_or(ones);
  SmallVector<int64_t> outPad = intsAttr(node, "output_padding")
                                    .value_or(SmallVector<int64_t>(spatial, 0));
  SmallVector<int64_t> pads =
      intsAttr(node, "pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (auto k = intsAttr(node, "kernel_shape"); k && *k != kernel)
    fail(node, "kernel_shape does not match the weight");
  if ((int64_t)strides.size() != spatial || (int64_t)dil.size() != spatial ||
      (int64_t)outPad.size() != spatial || (int64_t)pads.size() != 2 * spatial)
    fail(node, "strides/dilations/output_padding/pads do not match " +
                   Twine(spatial) + " spatial dims");
  std::string autoPad = stringAttr(node, "auto_pad", "NOTSET");
  auto outputShape = intsAttr(node, "output_shape");
  if (outputShape && (int64_t)outputShape->size() == spatial + 2)
    outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
  if (outputShape && (int64_t)outputShape->size() != spatial)
    fail(node, "output_shape must have one entry per spatial dim");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    fail(node, "pads must be non-negative");
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t full = strides[i] * (xt.getDimSize(i + 2) - 1) + outPad[i] +
                   (kernel[i] - 1) * dil[i] + 1;
    if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t want =
          outputShape ? (*outputShape)[i] : xt.getDimSize(i + 2) * strides[i];
      // As ONNX specifies (with floor division): SAME_UPPER puts the odd
      // pad at the end, the other forms at the start. A negative total (a
      // larger output_shape) extends the output with zeros at the end.
      int64_t total = full - want;
      int64_t half = llvm::divideFloorSigned(total, 2);
      pads[i] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[i + spatial] = total - pads[i];
    } else if (autoPad == "VALID") {
      pads[i] = pads[i + spatial] = 0;
    } else if (autoPad != "NOTSET") {
      fail(node, "unsupported auto_pad '" + autoPad + "'");
    }
  }
  if (llvm::any_of(strides, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dil, [](int64_t v) { return v < 1; }))
    fail(node, "strides and dilations must be >= 1");
  Type et = xt.getElementType();
  // Zero insertion per spatial dim: [.., n, ..] -> [.., n, 1, ..] padded to
  // [.., n, s, ..] -> [.., n * s, ..], sliced to (n - 1) * s + 1.
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t s = strides[i], d = i + 2;
    if (s == 1)
      continue;
    SmallVector<int64_t> shape(typeOf(x).getShape());
    int64_t n = shape[d];
    SmallVector<int64_t> split(shape);
    split.insert(split.begin() + d + 1, 1);
    x = reshape(loc, x, split);
    SmallVector<int64_t> pad(2 * split.size(), 0);
    pad[split.size() + d + 1] = s - 1;
    x = PadOp::create(b, loc, x, b.getDenseI64ArrayAttr(pad),
                      b.getStringAttr("constant"), b.getF64FloatAttr(0.0));
    shape[d] = n * s;
    x = reshape(loc, x, shape);
    SmallVector<int64_t> starts(shape.size(), 0), ends(shape),
        steps(shape.size(), 1);
    ends[d] = (n - 1) * s + 1;
    x = b.createOrFold<SliceOp>(loc, x, b.getDenseI64ArrayAttr(starts),
                                b.getDenseI64ArrayAttr(ends),
                                b.getDenseI64ArrayAttr(steps));
  }
  // Full padding dil * (k - 1), less the pads; a negative result crops.
  int64_t rank = xt.getRank();
  SmallVector<int64_t> convPads(2 * spatial, 0), crop(2 * rank, 0);
  bool cropping = false;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t full = dil[i] * (kernel[i] - 1);
    int64_t lo = full - pads[i], hi = full - pads[i + spatial] + outPad[i];
    convPads[i] = std::max<int64_t>(lo, 0);
    convPads[i + spatial] = std::max<int64_t>(hi, 0);
    crop[i + 2] = std::max<int64_t>(-lo, 0);
    crop[i + 2 + rank] = std::max<int64_t>(-hi, 0);
    cropping |= lo < 0 || hi < 0;
  }
  if (cropping) {
    auto shape = typeOf(x).getShape();
    SmallVector<int64_t> starts, ends, steps(rank, 1);
    for (int64_t d = 0; d < rank; ++d) {
      starts.push_back(crop[d]);
      ends.push_back(shape[d] - crop[d + rank]);
    }
    x = b.createOrFold<SliceOp>(loc, x, b.getDenseI64ArrayAttr(starts),
                                b.getDenseI64ArrayAttr(ends),
                                b.getDenseI64ArrayAttr(steps));
  }
  // Filter [C, F/G, k...] -> [G, C/G, F/G, k...] -> [G, F/G, C/G, k...]
  // -> [F, C/G, k...], each spatial dim reversed.
  SmallVector<int64_t> g5 = {group, cg, fg};
  llvm::append_range(g5, kernel);
  w = reshape(loc, w, g5);
  SmallVector<int64_t> perm = {0, 2, 1};
  for (int64_t i = 0; i < spatial; ++i)
    perm.push_back(3 + i);
  w = b.createOrFold<TransposeOp>(loc, w, b.getDenseI64ArrayAttr(perm));
  SmallVector<int64_t> fShape = {f, cg};
  llvm::append_range(fShape, kernel);
  w = reshape(loc, w, fShape);
  SmallVector<int64_t> starts(rank, 0), ends(fShape), steps(rank, 1);
  for (int64_t i = 0; i < spatial; ++i) {
    starts[i + 2] = kernel[i] - 1;
    ends[i + 2] = -1;
    steps[i + 2] = -1;
  }
  w = b.createOrFold<SliceOp>(loc, w, b.getDenseI64ArrayAttr(starts),
                              b.getDenseI64ArrayAttr(ends),
                              b.getDenseI64ArrayAttr(steps));
  (void)et;
  Value bias = hasInput(node, 2) ? input(node, 2) : Value();
  return ConvOp::create(b, loc, x, w, bias, b.getDenseI64ArrayAttr(ones),
                        b.getDenseI64ArrayAttr(dil),
                        b.getDenseI64ArrayAttr(convPads),
                        b.getI64IntegerAttr(group));
}

/// The Einsum equation with its output spelled out (implicit form: the
/// letters used once, sorted) and each ellipsis replaced by letters unused
/// elsewhere.
std::string Importer::einsumEquation(const onnx::NodeProto &node) {
  std::string eq;
  for (char ch : stringAttr(node, "equation", ""))
    if (ch != ' ')
      eq.push_back(ch);
  StringRef ref(eq);
  auto [lhs, rhs] = ref.split("->");
  bool explicitOut = lhs.size() != ref.size();
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if ((int)terms.size() != node.input_size())
    fail(node, "equation '" + eq + "' has " + Twine(terms.size()) +
                   " terms for " + Twine(node.input_size()) + " inputs");
  std::string spare;
  for (char ch = 'A'; ch <= 'Z'; ++ch)
    if (eq.find(ch) == std::string::npos)
      spare.push_back(ch);
  for (char ch = 'a'; ch <= 'z'; ++ch)
    if (eq.find(ch) == std::string::npos)
      spare.push_back(ch);
  // Ellipsis dims align from the right across operands.
  int64_t ell = 0;
  SmallVector<int64_t> ellDims;
  for (auto [i, t] : llvm::enumerate(terms)) {
    int64_t rank = typeOf(input(node, i)).getRank();
    int64_t named = (int64_t)t.size();
    if (t.contains("...")) {
      named -= 3;
      ellDims.push_back(rank - named);
      ell = std::max(ell, rank - named);
    } else {
      ellDims.push_back(0);
    }
  }
  if (ell > (int64_t)spare.size())
    fail(node, "too many ellipsis dims");
  std::string ellLetters = spare.substr(0, ell);
  SmallVector<int64_t> ellSizes(ell, -1);
  std::string out;
  llvm::StringMap<int> counts;
  std::string newLhs;
  for (auto [i, t] : llvm::enumerate(terms)) {
    auto shape = typeOf(input(node, i)).getShape();
    std::string letters = ellLetters.substr(ell - ellDims[i]);
    size_t pos = t.find("...");
    for (int64_t j = 0; j < ellDims[i]; ++j) {
      int64_t d = shape[pos + j], &known = ellSizes[ell - ellDims[i] + j];
      if (known >= 0 && known != d)
        fail(node, "broadcasting ellipsis dims is not supported");
      known = d;
    }
    std::string term =
        pos == StringRef::npos
            ? t.str()
            : (t.substr(0, pos) + letters + t.substr(pos + 3)).str();
    if (!llvm::all_of(term, llvm::isAlpha))
      fail(node, "invalid equation '" + eq + "'");
    if ((int64_t)term.size() != (int64_t)shape.size())
      fail(node, "term '" + t.str() + "' does not match the rank of input " +
                     Twine(i));
    if (i)
      newLhs += ",";
    newLhs += term;
    for (char ch : t)
      if (llvm::isAlpha(ch))
        ++counts[StringRef(&ch, 1)];
  }
  if (explicitOut) {
    size_t pos = rhs.find("...");
    out = pos == StringRef::npos
              ? rhs.str()
              : (rhs.substr(0, pos) + ellLetters + rhs.substr(pos + 3)).str();
  } else {
    out = ellLetters;
    std::string once;
    for (auto &e : counts)
      if (e.second == 1)
        once += e.first().str();
    llvm::sort(once);
    out += once;
  }
  return newLhs + "->" + out;
}

SmallVector<Value> Importer::importNNOp(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  Location loc = nodeLoc(node);
  auto in = [&](int i) { return input(node, i); };
  if (op == "Elu")
    return {EluOp::create(b, loc, in(0),
                          b.getF64FloatAttr(floatAttr(node, "alpha", 1.0f)))};
  if (op == "Selu") {
    // gamma * elu(x, alpha) is the ONNX definition.
    Value e = EluOp::create(b, loc, in(0),
                            b.getF64FloatAttr(floatAttr(
                                node, "alpha", 1.67326319217681884765625f)));
    return {b.createOrFold<MulOp>(
        loc, e,
        scalarLike(loc, e,
                   floatAttr(node, "gamma", 1.05070102214813232421875f)))};
  }
  if (op == "Celu") {
    // alpha * elu(x / alpha, 1).
    double alpha = floatAttr(node, "alpha", 1.0f);
    if (alpha == 0)
      fail(node, "alpha must not be 0");
    Value e = EluOp::create(
        b, loc,
        b.createOrFold<DivOp>(loc, in(0), scalarLike(loc, in(0), alpha)),
        b.getF64FloatAttr(1.0));
    return {b.createOrFold<MulOp>(loc, e, scalarLike(loc, e, alpha))};
  }
  if (op == "ThresholdedRelu")
    return {ThresholdedReluOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "alpha", 1.0f)))};
  if (op == "Shrink")
    return {ShrinkOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "bias", 0.0f)),
        b.getF64FloatAttr(floatAttr(node, "lambd", 0.5f)))};
  if (op == "HardSwish") {
    Value hs = HardSigmoidOp::create(b, loc, in(0), b.getF64FloatAttr(1.0 / 6),
                                     b.getF64FloatAttr(0.5));
    return {b.createOrFold<MulOp>(loc, in(0), hs)};
  }
  if (op == "Softsign") {
    Value abs = b.createOrFold<AbsOp>(loc, in(0));
    Value den = b.createOrFold<AddOp>(loc, abs, scalarLike(loc, in(0), 1.0));
    return {b.createOrFold<DivOp>(loc, in(0), den)};
  }
  if (op == "PRelu") {
    // max(x, 0) + slope * min(x, 0); slope broadcasts to x.
    Value zero = scalarLike(loc, in(0), 0.0);
    Value pos = b.createOrFold<MaxOp>(loc, in(0), zero);
    Value neg = b.createOrFold<MulOp>(
        loc, b.createOrFold<MinOp>(loc, in(0), zero), in(1));
    if (typeOf(neg) != typeOf(in(0)))
      fail(node, "slope does not broadcast to the input");
    return {b.createOrFold<AddOp>(loc, pos, neg)};
  }
  if (op == "Mean") {
    Value sum = in(0);
    for (int i = 1; i < node.input_size(); ++i)
      sum = b.createOrFold<AddOp>(loc, sum, in(i));
    return {b.createOrFold<DivOp>(loc, sum,
                                  scalarLike(loc, sum, node.input_size()))};
  }
  if (op == "Hardmax") {
    int64_t axis =
        normAxis(node, intAttr(node, "axis", -1), typeOf(in(0)).getRank());
    return {HardmaxOp::create(b, loc, in(0), b.getI64IntegerAttr(axis))};
  }
  if (op == "ArgMax" || op == "ArgMin") {
    int64_t axis =
        normAxis(node, intAttr(node, "axis", 0), typeOf(in(0)).getRank());
    if (typeOf(in(0)).getDimSize(axis) == 0)
      fail(node, "cannot take the arg max/min of an empty axis");
    auto keep = b.getBoolAttr(intAttr(node, "keepdims", 1) != 0);
    auto last = b.getBoolAttr(intAttr(node, "select_last_index", 0) != 0);
    if (op == "ArgMax")
      return {ArgMaxOp::create(b, loc, in(0), b.getI64IntegerAttr(axis), keep,
                               last)};
    return {
        ArgMinOp::create(b, loc, in(0), b.getI64IntegerAttr(axis), keep, last)};
  }
  if (op == "CumSum") {
    int64_t rank = typeOf(in(0)).getRank();
    if (rank < 1)
      fail(node, "input must have rank >= 1");
    auto exclusive = b.getBoolAttr(intAttr(node, "exclusive", 0) != 0);
    auto reverse = b.getBoolAttr(intAttr(node, "reverse", 0) != 0);
    auto cumsum = [&](int64_t axis) -> Value {
      return CumSumOp::create(b, loc, in(0), b.getI64IntegerAttr(axis),
                              exclusive, reverse);
    };
    if (typeOf(in(1)).getNumElements() != 1)
      fail(node, "axis must hold one value");
    DenseIntElementsAttr axisAttr;
    if (matchPattern(in(1), m_Constant(&axisAttr)))
      return {cumsum(normAxis(
          node, (*axisAttr.getValues<APInt>().begin()).getSExtValue(), rank))};
    // An axis given at run time selects among the cumsums along each dim.
    Value r = cumsum(rank - 1);
    for (int64_t i = rank - 2; i >= 0; --i) {
      Value pos =
          b.createOrFold<EqualOp>(loc, in(1), scalarLike(loc, in(1), i));
      Value neg =
          b.createOrFold<EqualOp>(loc, in(1), scalarLike(loc, in(1), i - rank));
      Value is = b.createOrFold<OrOp>(loc, pos, neg);
      Value along = cumsum(i);
      r = WhereOp::create(b, loc, is, along, r);
    }
    return {r};
  }
  if (op == "TopK") {
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", -1), rank);
    SmallVector<int64_t> k;
    DenseIntElementsAttr kAttr;
    if (matchPattern(in(1), m_Constant(&kAttr))) {
      k = constInts(node, 1, "K");
    } else {
      // K given at run time must match the static output shape.
      RankedTensorType out = inferredType(node.output(0));
      if (!out)
        out = graphOutputs.lookup(node.output(0));
      if (!out || out.getRank() != rank)
        fail(node, "K (input '" + node.input(1) +
                       "') must be a compile-time constant or follow from a "
                       "static output shape");
      k.push_back(out.getDimSize(axis));
    }
    if (k.size() != 1)
      fail(node, "K must hold one value");
    if (k[0] < 0 || k[0] > typeOf(in(0)).getDimSize(axis))
      fail(node, "K = " + Twine(k[0]) + " is not in [0, " +
                     Twine(typeOf(in(0)).getDimSize(axis)) + "]");
    // sorted=0 leaves the order open; sorted order is one of them.
    auto topk = TopKOp::create(b, loc, in(0), b.getI64IntegerAttr(k[0]),
                               b.getI64IntegerAttr(axis),
                               b.getBoolAttr(intAttr(node, "largest", 1) != 0));
    return {topk.getValues(), topk.getIndices()};
  }
  if (op == "Trilu") {
    // A compile-time mask over the last two dims selects x or 0.
    auto xt = typeOf(in(0));
    if (xt.getRank() < 2)
      fail(node, "input must have rank >= 2");
    // Keep (i, j) where j - i >= k (upper) or <= k (lower); the mask folds
    // to a constant when k is one.
    bool upper = intAttr(node, "upper", 1) != 0;
    int64_t m = xt.getDimSize(xt.getRank() - 2), n = xt.getShape().back();
    SmallVector<int64_t> diag;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        diag.push_back(j - i);
    Value offsets = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({m, n}, b.getI64Type()),
                               ArrayRef<int64_t>(diag)));
    Value k;
    if (hasInput(node, 1)) {
      k = in(1);
      if (typeOf(k).getNumElements() != 1 ||
          !typeOf(k).getElementType().isInteger(64))
        fail(node, "k must be a single int64");
    } else {
      k = scalarLike(loc, offsets, 0);
    }
    Value cond = upper ? b.createOrFold<GreaterEqualOp>(loc, offsets, k)
                       : b.createOrFold<LessEqualOp>(loc, offsets, k);
    return {WhereOp::create(b, loc, cond, in(0), scalarLike(loc, in(0), 0.0))};
  }
  if (op == "Einsum") {
    std::string eq = einsumEquation(node);
    SmallVector<Value> inputs;
    for (int i = 0; i < node.input_size(); ++i)
      inputs.push_back(in(i));
    // The result shape: each output letter's size in the operands.
    llvm::DenseMap<char, int64_t> sizes;
    StringRef ref(eq);
    auto [lhs, out] = ref.split("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');
    for (auto [t, v] : llvm::zip(terms, inputs))
      for (auto [ch, d] : llvm::zip(t, typeOf(v).getShape()))
        sizes[ch] = d;
    SmallVector<int64_t> shape;
    for (char ch : out) {
      if (!sizes.count(ch))
        fail(node, "output letter '" + Twine(ch) + "' names no input dim");
      shape.push_back(sizes[ch]);
    }
    auto t = RankedTensorType::get(shape, typeOf(inputs[0]).getElementType());
    return {EinsumOp::create(b, loc, t, inputs, b.getStringAttr(eq))};
  }
  if (op == "ConvTranspose")
    return {convTranspose(node)};
  if (op == "InstanceNormalization") {
    // (x - mean) / sqrt(var + eps) * scale + bias over the spatial dims.
    Value x = in(0);
    int64_t rank = typeOf(x).getRank();
    if (rank < 3)
      fail(node, "input must have rank >= 3");
    auto axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
    auto [mean, inv] =
        normStats(loc, x, axes, floatAttr(node, "epsilon", 1e-5f));
    SmallVector<int64_t> chShape(rank - 1, 1);
    chShape[0] = typeOf(x).getDimSize(1);
    Value scale = reshape(loc, in(1), chShape);
    Value bias = reshape(loc, in(2), chShape);
    Value centered = b.createOrFold<SubOp>(loc, x, mean);
    Value factor = b.createOrFold<MulOp>(loc, inv, scale);
    Value y = b.createOrFold<MulOp>(loc, centered, factor);
    return {b.createOrFold<AddOp>(loc, y, bias)};
  }
  if (op == "MeanVarianceNormalization") {
    // (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9), as the ONNX function.
    Value x = in(0);
    int64_t rank = typeOf(x).getRank();
    SmallVector<int64_t> axes =
        intsAttr(node, "axes").value_or(SmallVector<int64_t>{0, 2, 3});
    for (int64_t &a : axes)
      a = normAxis(node, a, rank);
    auto axesAttr = b.getDenseI64ArrayAttr(axes);
    auto keep = b.getBoolAttr(true);
    Value mean = b.createOrFold<ReduceMeanOp>(loc, x, axesAttr, keep);
    Value meanSq = b.createOrFold<ReduceMeanOp>(
        loc, b.createOrFold<MulOp>(loc, x, x), axesAttr, keep);
    Value var = b.createOrFold<SubOp>(loc, meanSq,
                                      b.createOrFold<MulOp>(loc, mean, mean));
    Value std = b.createOrFold<SqrtOp>(loc, var);
    std = b.createOrFold<AddOp>(loc, std, scalarLike(loc, x, 1e-9));
    Value centered = b.createOrFold<SubOp>(loc, x, mean);
    return {b.createOrFold<DivOp>(loc, centered, std)};
  }
  if (op == "LRN") {
    // x / (bias + alpha / size * sum of x^2 over the channel window)^beta;
    // the window sum is size * an average pool (pads counted) over
    // [N, 1, C, rest].
    Value x = in(0);
    auto xt = typeOf(x);
    int64_t size = intAttr(node, "size", 0);
    if (size < 1)
      fail(node, "size must be >= 1");
    if (xt.getRank() < 3)
      fail(node, "input must have rank >= 3");
    double alpha = floatAttr(node, "alpha", 1e-4f),
           beta = floatAttr(node, "beta", 0.75f),
           bias = floatAttr(node, "bias", 1.0f);
    int64_t rest = xt.getNumElements() / (xt.getDimSize(0) * xt.getDimSize(1));
    Value sq = reshape(loc, b.createOrFold<MulOp>(loc, x, x),
                       {xt.getDimSize(0), 1, xt.getDimSize(1), rest});
    int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
    Value avg = AvgPoolOp::create(b, loc, sq, b.getDenseI64ArrayAttr({size, 1}),
                                  b.getDenseI64ArrayAttr({1, 1}),
                                  b.getDenseI64ArrayAttr({1, 1}),
                                  b.getDenseI64ArrayAttr({lo, 0, hi, 0}),
                                  b.getBoolAttr(false), b.getBoolAttr(true));
    avg = reshape(loc, avg, xt.getShape());
    Value den = b.createOrFold<MulOp>(loc, avg, scalarLike(loc, x, alpha));
    den = b.createOrFold<AddOp>(loc, den, scalarLike(loc, x, bias));
    den = b.createOrFold<PowOp>(loc, den, scalarLike(loc, x, beta));
    return {b.createOrFold<DivOp>(loc, x, den)};
  }
  return {};
}

template <typename OpTy>
static Value foldVariadic(OpBuilder &b, Location loc, ArrayRef<Value> inputs) {
  Value r = inputs.front();
  for (Value v : inputs.drop_front())
    r = b.createOrFold<OpTy>(loc, r, v);
  return r;
}

//===----------------------------------------------------------------------===//
// Data movement, indexing and quantization
//===----------------------------------------------------------------------===//

/// `v` (a per-axis 1-D tensor, or a scalar) reshaped to broadcast along
/// `axis` of a rank-`rank` tensor.
static SmallVector<int64_t> perAxisShape(RankedTensorType t, int64_t axis,
                                         int64_t rank) {
  if (t.getRank() == 0 || t.getNumElements() == 1)
    return {};
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = t.getNumElements();
  return shape;
}

/// saturate(round_half_even(x / scale) + zp) in the integer type `et`, as
/// ONNX QuantizeLinear; `x` and `scale` are f32.
Value Importer::quantize(Location loc, Value x, Value scale, Value zp,
                         int64_t axis, Type et) {
  int64_t rank = typeOf(x).getRank();
  scale = reshape(loc, scale, perAxisShape(typeOf(scale), axis, rank));
  Value y = b.createOrFold<RoundOp>(loc, b.createOrFold<DivOp>(loc, x, scale));
  if (zp) {
    zp = reshape(loc, zp, perAxisShape(typeOf(zp), axis, rank));
    auto ft = RankedTensorType::get(typeOf(zp).getShape(), b.getF32Type());
    y = b.createOrFold<AddOp>(loc, y, b.createOrFold<CastOp>(loc, ft, zp));
  }
  unsigned w = et.getIntOrFloatBitWidth();
  bool u = et.isUnsignedInteger();
  double lo = u ? 0.0 : -std::ldexp(1.0, w - 1);
  double hi = u ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  y = ClipOp::create(b, loc, typeOf(y), y, b.getF64FloatAttr(lo),
                     b.getF64FloatAttr(hi));
  return b.createOrFold<CastOp>(
      loc, RankedTensorType::get(typeOf(y).getShape(), et), y);
}

/// (x - zp) * scale in f32, as ONNX DequantizeLinear.
Value Importer::dequantize(Location loc, Value x, Value scale, Value zp,
                           int64_t axis) {
  int64_t rank = typeOf(x).getRank();
  auto f32 = [&](Value v) {
    return b.createOrFold<CastOp>(
        loc, RankedTensorType::get(typeOf(v).getShape(), b.getF32Type()), v);
  };
  Value y = f32(x);
  if (zp)
    y = b.createOrFold<SubOp>(
        loc, y, f32(reshape(loc, zp, perAxisShape(typeOf(zp), axis, rank))));
  scale = reshape(loc, scale, perAxisShape(typeOf(scale), axis, rank));
  return b.createOrFold<MulOp>(loc, y, scale);
}

SmallVector<Value> Importer::importDataOp(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  Location loc = nodeLoc(node);
  auto in = [&](int i) { return input(node, i); };
  auto optIn = [&](int i) { return hasInput(node, i) ? in(i) : Value(); };
  auto castTo = [&](Value v, Type et) {
    return b.createOrFold<CastOp>(
        loc, RankedTensorType::get(typeOf(v).getShape(), et), v);
  };
  auto transpose = [&](Value v, ArrayRef<int64_t> perm) {
    return b.createOrFold<TransposeOp>(loc, v, b.getDenseI64ArrayAttr(perm));
  };

  if (op == "DepthToSpace" || op == "SpaceToDepth") {
    auto t = typeOf(in(0));
    if (t.getRank() != 4)
      fail(node, "input must have rank 4, got " + Twine(t.getRank()));
    int64_t bs = intAttr(node, "blocksize", 0);
    if (bs <= 0)
      fail(node, "blocksize must be positive");
    int64_t n = t.getDimSize(0), c = t.getDimSize(1), h = t.getDimSize(2),
            w = t.getDimSize(3);
    if (op == "SpaceToDepth") {
      if (h % bs || w % bs)
        fail(node, "spatial dims must be multiples of blocksize");
      Value v = reshape(loc, in(0), {n, c, h / bs, bs, w / bs, bs});
      v = transpose(v, {0, 3, 5, 1, 2, 4});
      return {reshape(loc, v, {n, c * bs * bs, h / bs, w / bs})};
    }
    if (c % (bs * bs))
      fail(node, "channels must be a multiple of blocksize^2");
    std::string mode = stringAttr(node, "mode", "DCR");
    Value v;
    if (mode == "DCR") {
      v = reshape(loc, in(0), {n, bs, bs, c / (bs * bs), h, w});
      v = transpose(v, {0, 3, 4, 1, 5, 2});
    } else if (mode == "CRD") {
      v = reshape(loc, in(0), {n, c / (bs * bs), bs, bs, h, w});
      v = transpose(v, {0, 1, 4, 2, 5, 3});
    } else {
      fail(node, "unsupported mode '" + mode + "'");
    }
    return {reshape(loc, v, {n, c / (bs * bs), h * bs, w * bs})};
  }

  if (op == "Tile") {
    // x[d0, d1..] -> [1, d0, 1, d1..] -> broadcast [r0, d0, r1, d1..] ->
    // [r0*d0, r1*d1..].
    auto t = typeOf(in(0));
    SmallVector<int64_t> repeats;
    if (isConstInput(node, 1)) {
      repeats = constInts(node, 1, "repeats");
    } else {
      RankedTensorType out = shapeFromOutput(node, 1, "repeats");
      for (auto [o, i] : llvm::zip(out.getShape(), t.getShape()))
        repeats.push_back(i == 0 ? 1 : o / i);
    }
    if ((int64_t)repeats.size() != t.getRank())
      fail(node, "repeats has " + Twine(repeats.size()) + " entries for rank " +
                     Twine(t.getRank()));
    SmallVector<int64_t> split, expanded, result;
    for (auto [r, d] : llvm::zip(repeats, t.getShape())) {
      if (r < 0)
        fail(node, "negative repeat " + Twine(r));
      split.append({1, d});
      expanded.append({r, d});
      result.push_back(r * d);
    }
    Value v = reshape(loc, in(0), split);
    v = b.createOrFold<ExpandOp>(
        loc, RankedTensorType::get(expanded, t.getElementType()), v);
    return {reshape(loc, v, result)};
  }

  if (op == "OneHot") {
    // where(normalize(indices)[.., None, ..] == iota(depth), on, off).
    auto it = typeOf(in(0));
    int64_t rank = it.getRank() + 1;
    int64_t axis = normAxis(node, intAttr(node, "axis", -1), rank);
    int64_t depth;
    DenseElementsAttr d;
    if (matchPattern(in(1), m_Constant(&d)) && d.getNumElements() == 1)
      depth = isa<FloatType>(d.getElementType())
                  ? (int64_t)(*d.getValues<APFloat>().begin()).convertToDouble()
                  : (*d.getValues<APInt>().begin()).getSExtValue();
    else if (RankedTensorType out = knownType(node, 0))
      depth = out.getDimSize(axis);
    else
      fail(node, "depth must be a compile-time constant, or the output shape "
                 "must be static");
    if (depth <= 0)
      fail(node, "depth must be positive, got " + Twine(depth));
    auto i64 = b.getI64Type();
    Value idx = castTo(in(0), i64);
    auto scalarI64 = [&](int64_t v) {
      return ConstantOp::create(
          b, loc, DenseElementsAttr::get(RankedTensorType::get({}, i64), v));
    };
    Value neg = b.createOrFold<LessOp>(loc, idx, scalarI64(0));
    idx = WhereOp::create(
        b, loc, neg, b.createOrFold<AddOp>(loc, idx, scalarI64(depth)), idx);
    SmallVector<int64_t> idxShape(it.getShape());
    idxShape.insert(idxShape.begin() + axis, 1);
    idx = reshape(loc, idx, idxShape);
    SmallVector<int64_t> iotaShape(rank, 1);
    iotaShape[axis] = depth;
    Value iota = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get(iotaShape, i64),
            ArrayRef<int64_t>(llvm::to_vector(llvm::seq<int64_t>(0, depth)))));
    Value hit = b.createOrFold<EqualOp>(loc, idx, iota);
    auto vt = typeOf(in(2));
    if (vt.getNumElements() != 2)
      fail(node, "values must hold [off_value, on_value]");
    auto pick = [&](int64_t i) {
      Value s = b.createOrFold<SliceOp>(
          loc, reshape(loc, in(2), {2}), b.getDenseI64ArrayAttr({i}),
          b.getDenseI64ArrayAttr({i + 1}), b.getDenseI64ArrayAttr({1}));
      return reshape(loc, s, {});
    };
    return {WhereOp::create(b, loc, hit, pick(1), pick(0))};
  }

  if (op == "GatherElements") {
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", 0), rank);
    if (typeOf(in(1)).getRank() != rank)
      fail(node, "indices must have the rank of the input");
    return {GatherElementsOp::create(b, loc, in(0), in(1),
                                     b.getI64IntegerAttr(axis))};
  }

  if (op == "GatherND") {
    auto it = typeOf(in(1));
    int64_t batch = intAttr(node, "batch_dims", 0);
    if (it.getRank() < 1 || batch < 0 || batch >= it.getRank() ||
        batch + it.getShape().back() > typeOf(in(0)).getRank())
      fail(node, "indices shape does not index the input with batch_dims=" +
                     Twine(batch));
    for (int64_t i = 0; i < batch; ++i)
      if (it.getDimSize(i) != typeOf(in(0)).getDimSize(i))
        fail(node,
             "batch dim " + Twine(i) + " differs between data and indices");
    return {
        GatherNDOp::create(b, loc, in(0), in(1), b.getI64IntegerAttr(batch))};
  }

  if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    auto xt = typeOf(in(0));
    Value zp = optIn(2);
    auto st = typeOf(in(1));
    // The axis only matters for per-axis scales.
    int64_t axis = st.getNumElements() == 1
                       ? 0
                       : normAxis(node, intAttr(node, "axis", 1), xt.getRank());
    if (st.getNumElements() != 1 &&
        (st.getRank() != 1 || st.getDimSize(0) != xt.getDimSize(axis)))
      fail(node,
           "scale must be a scalar or hold one value per element of axis " +
               Twine(axis));
    if (zp && typeOf(zp).getNumElements() != st.getNumElements())
      fail(node, "zero point and scale differ in size");
    if (!st.getElementType().isF32())
      fail(node, "scale must be f32");
    if (op == "DequantizeLinear")
      return {dequantize(loc, in(0), in(1), zp, axis)};
    Type et = zp ? typeOf(zp).getElementType()
                 : IntegerType::get(ctx, 8, IntegerType::Unsigned);
    if (!et.isInteger(8))
      fail(node, "only int8/uint8 outputs are supported");
    return {quantize(loc, castTo(in(0), b.getF32Type()), in(1), zp, axis, et)};
  }

  if (op == "DynamicQuantizeLinear") {
    // The ONNX function body, uint8 output.
    Value x = in(0);
    if (!typeOf(x).getElementType().isF32())
      fail(node, "input must be f32");
    auto f = [&](double v) {
      return ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                 (float)v));
    };
    auto all = b.getDenseI64ArrayAttr({});
    Value lo = b.createOrFold<MinOp>(
        loc, ReduceMinOp::create(b, loc, x, all, b.getBoolAttr(false)), f(0));
    Value hi = b.createOrFold<MaxOp>(
        loc, ReduceMaxOp::create(b, loc, x, all, b.getBoolAttr(false)), f(0));
    Value scale =
        b.createOrFold<DivOp>(loc, b.createOrFold<SubOp>(loc, hi, lo), f(255));
    Value zpf =
        b.createOrFold<SubOp>(loc, f(0), b.createOrFold<DivOp>(loc, lo, scale));
    zpf = ClipOp::create(b, loc, typeOf(zpf), zpf, b.getF64FloatAttr(0),
                         b.getF64FloatAttr(255));
    auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    Value zp = castTo(b.createOrFold<RoundOp>(loc, zpf), u8);
    return {quantize(loc, x, scale, zp, 0, u8), scale, zp};
  }

  // Integer matmul/conv: (a - a_zp) and (b - b_zp) as f64, whose products
  // and sums of up to 2^37 terms are exact, then i32 (or requantized).
  auto centered = [&](Value v, Value zp, int64_t axis) {
    Value r = castTo(v, b.getF64Type());
    if (!zp)
      return r;
    zp = reshape(loc, zp, perAxisShape(typeOf(zp), axis, typeOf(v).getRank()));
    return b.createOrFold<SubOp>(loc, r, castTo(zp, b.getF64Type()));
  };
  auto matmul = [&](Value l, Value r) {
    if (typeOf(l).getRank() < 2 || typeOf(r).getRank() < 2)
      fail(node, "1-D operands are not supported");
    return MatMulOp::create(b, loc, l, r).getResult();
  };
  auto requantize = [&](Value acc, Value scale, Value yScale, Value yZp) {
    // acc * (scale / y_scale), rounded and saturated like QuantizeLinear.
    Value s = b.createOrFold<DivOp>(loc, castTo(scale, b.getF64Type()),
                                    castTo(yScale, b.getF64Type()));
    int64_t rank = typeOf(acc).getRank();
    Value y = b.createOrFold<MulOp>(
        loc, acc, reshape(loc, s, perAxisShape(typeOf(s), 1, rank)));
    y = castTo(y, b.getF32Type());
    auto one = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                               1.0f));
    return quantize(loc, y, one, yZp, 0, typeOf(yZp).getElementType());
  };
  if (op == "MatMulInteger") {
    if (optIn(2) && typeOf(in(2)).getNumElements() != 1)
      fail(node, "only per-tensor a_zero_point is supported");
    Value lhs = centered(in(0), optIn(2), 0);
    Value rhs = centered(in(1), optIn(3), typeOf(in(1)).getRank() - 1);
    Value r = matmul(lhs, rhs);
    return {castTo(r, b.getI32Type())};
  }
  if (op == "QLinearMatMul") {
    // a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp.
    for (int i : {1, 2, 4, 5, 6, 7})
      if (typeOf(in(i)).getNumElements() != 1)
        fail(node, "only per-tensor scales and zero points are supported");
    Value lhs = centered(in(0), in(2), 0);
    Value rhs = centered(in(3), in(5), 0);
    Value acc = matmul(lhs, rhs);
    Value scale = b.createOrFold<MulOp>(loc, in(1), in(4));
    return {requantize(acc, reshape(loc, scale, {}), reshape(loc, in(6), {}),
                       reshape(loc, in(7), {}))};
  }
  if (op == "ConvInteger") {
    if (optIn(2) && typeOf(in(2)).getNumElements() != 1)
      fail(node, "only per-tensor x_zero_point is supported");
    Value x = centered(in(0), optIn(2), 0);
    Value w = centered(in(1), optIn(3), 0);
    Value acc = convOrPool(node, /*isConv=*/true, false, {x, w});
    return {castTo(acc, b.getI32Type())};
  }
  if (op == "QLinearConv") {
    // x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, B (i32)].
    for (int i : {1, 2, 6, 7})
      if (typeOf(in(i)).getNumElements() != 1)
        fail(node, "x and y scales/zero points must be per-tensor");
    Value x = centered(in(0), in(2), 0);
    Value w = centered(in(3), in(5), 0);
    SmallVector<Value> ops = {x, w};
    if (hasInput(node, 8))
      ops.push_back(castTo(in(8), b.getF64Type()));
    Value acc = convOrPool(node, /*isConv=*/true, false, ops);
    Value scale = b.createOrFold<MulOp>(loc, reshape(loc, in(1), {}), in(4));
    return {requantize(acc, scale, reshape(loc, in(6), {}),
                       reshape(loc, in(7), {}))};
  }

  if (op == "Resize")
    return {importResize(node)};
  return {};
}

Value Importer::importResize(const onnx::NodeProto &node) {
  Location loc = nodeLoc(node);
  Value x = input(node, 0);
  auto xt = typeOf(x);
  int64_t rank = xt.getRank();
  auto f32 = b.getF32Type();
  // An input that is absent or has no elements (opset 11-13 style).
  auto given = [&](int i) {
    return hasInput(node, i) && typeOf(input(node, i)).getNumElements() != 0;
  };
  auto asF32 = [&](Value v) {
    return b.createOrFold<CastOp>(
        loc, RankedTensorType::get(typeOf(v).getShape(), f32), v);
  };
  std::string mode = stringAttr(node, "mode", "nearest");
  std::string ctm =
      stringAttr(node, "coordinate_transformation_mode", "half_pixel");
  std::string nearest = stringAttr(node, "nearest_mode", "round_prefer_floor");
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    fail(node, "unsupported mode '" + mode + "'");
  if (!llvm::is_contained(
          ArrayRef<StringRef>({"half_pixel", "pytorch_half_pixel",
                               "align_corners", "asymmetric",
                               "tf_half_pixel_for_nn", "tf_crop_and_resize"}),
          StringRef(ctm)))
    fail(node, "unsupported coordinate_transformation_mode '" + ctm + "'");
  if (!llvm::is_contained(
          ArrayRef<StringRef>(
              {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}),
          StringRef(nearest)))
    fail(node, "unsupported nearest_mode '" + nearest + "'");

  RankedTensorType out = knownType(node, 0);
  Value scales;
  if (given(2)) {
    scales = asF32(input(node, 2));
    if (typeOf(scales).getRank() != 1 || typeOf(scales).getDimSize(0) != rank)
      fail(node, "scales must hold one value per input dim");
    DenseFPElementsAttr c;
    if (!out && matchPattern(scales, m_Constant(&c))) {
      SmallVector<int64_t> shape;
      for (auto [d, s] : llvm::zip(xt.getShape(), c.getValues<APFloat>()))
        shape.push_back((int64_t)std::floor(d * s.convertToDouble()));
      out = RankedTensorType::get(shape, xt.getElementType());
    }
  } else if (given(3)) {
    if (isConstInput(node, 3))
      out = RankedTensorType::get(constInts(node, 3, "sizes"),
                                  xt.getElementType());
    if (!out)
      fail(node, "sizes must be a compile-time constant, or the output "
                 "shape must be static");
    SmallVector<float> s;
    for (auto [o, i] : llvm::zip(out.getShape(), xt.getShape()))
      s.push_back(i == 0 ? 1.0f : (float)((double)o / (double)i));
    scales = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({rank}, f32),
                               ArrayRef<float>(s)));
  } else {
    fail(node, "one of scales and sizes is required");
  }
  if (!out)
    fail(node, "the output shape must be static");
  if (out.getRank() != rank)
    fail(node, "output rank differs from the input rank");
  Value roi;
  if (ctm == "tf_crop_and_resize") {
    if (!given(1))
      fail(node, "tf_crop_and_resize requires roi");
    roi = asF32(input(node, 1));
    if (typeOf(roi).getNumElements() != 2 * rank)
      fail(node, "roi must hold " + Twine(2 * rank) + " values");
    roi = reshape(loc, roi, {2 * rank});
  }
  return ResizeOp::create(
      b, loc, out, x, scales, roi, b.getStringAttr(mode), b.getStringAttr(ctm),
      b.getStringAttr(nearest),
      b.getF64FloatAttr(floatAttr(node, "cubic_coeff_a", -0.75f)),
      b.getBoolAttr(intAttr(node, "exclude_outside", 0) != 0),
      b.getF64FloatAttr(floatAttr(node, "extrapolation_value", 0.0f)));
}

SmallVector<Value> Importer::importNode(const onnx::NodeProto &node) {
  const std::string &op = node.op_type();
  Location loc = nodeLoc(node);
  auto in = [&](int i) { return input(node, i); };
  auto allInputs = [&]() {
    SmallVector<Value> r;
    for (int i = 0; i < node.input_size(); ++i)
      r.push_back(in(i));
    return r;
  };

#define UNARY(NAME, OP)                                                        \
  if (op == NAME)                                                              \
    return {b.createOrFold<OP>(loc, in(0))};
  UNARY("Abs", AbsOp)
  UNARY("Ceil", CeilOp)
  UNARY("Cos", CosOp)
  UNARY("Erf", ErfOp)
  UNARY("Exp", ExpOp)
  UNARY("Floor", FloorOp)
  UNARY("Log", LogOp)
  UNARY("Neg", NegOp)
  UNARY("Reciprocal", ReciprocalOp)
  UNARY("Relu", ReluOp)
  UNARY("Round", RoundOp)
  UNARY("Sigmoid", SigmoidOp)
  UNARY("Sin", SinOp)
  UNARY("Sqrt", SqrtOp)
  UNARY("Tanh", TanhOp)
  UNARY("Acos", AcosOp)
  UNARY("Acosh", AcoshOp)
  UNARY("Asin", AsinOp)
  UNARY("Asinh", AsinhOp)
  UNARY("Atan", AtanOp)
  UNARY("Atanh", AtanhOp)
  UNARY("Cosh", CoshOp)
  UNARY("Sinh", SinhOp)
  UNARY("Tan", TanOp)
  UNARY("Softplus", SoftplusOp)
#undef UNARY
#define BINARY(NAME, OP)                                                       \
  if (op == NAME)                                                              \
    return {b.createOrFold<OP>(loc, in(0), in(1))};
  BINARY("Add", AddOp)
  BINARY("Sub", SubOp)
  BINARY("Mul", MulOp)
  BINARY("Div", DivOp)
#undef BINARY
#define COMPARE(NAME, OP)                                                      \
  if (op == NAME)                                                              \
    return {b.createOrFold<OP>(loc, in(0), in(1))};
  COMPARE("Equal", EqualOp)
  COMPARE("Less", LessOp)
  COMPARE("LessOrEqual", LessEqualOp)
  COMPARE("Greater", GreaterOp)
  COMPARE("GreaterOrEqual", GreaterEqualOp)
  COMPARE("And", AndOp)
  COMPARE("Or", OrOp)
  COMPARE("Xor", XorOp)
#undef COMPARE
  if (op == "Sign")
    return {b.createOrFold<SignOp>(loc, in(0))};
  if (op == "Not")
    return {b.createOrFold<NotOp>(loc, in(0))};
  if (op == "IsNaN")
    return {IsNaNOp::create(b, loc, in(0))};
  if (op == "IsInf")
    return {IsInfOp::create(
        b, loc, in(0), b.getBoolAttr(intAttr(node, "detect_positive", 1) != 0),
        b.getBoolAttr(intAttr(node, "detect_negative", 1) != 0))};
  if (op == "BitShift") {
    std::string dir = stringAttr(node, "direction", "");
    if (dir != "LEFT" && dir != "RIGHT")
      fail(node, "direction must be LEFT or RIGHT, got '" + dir + "'");
    return {
        BitShiftOp::create(b, loc, in(0), in(1),
                           b.getStringAttr(dir == "LEFT" ? "left" : "right"))};
  }
  if (op == "Mod") {
    bool fmod = intAttr(node, "fmod", 0) != 0;
    if (!fmod && isa<FloatType>(typeOf(in(0)).getElementType()))
      fail(node, "fmod must be 1 for floating-point inputs");
    return {ModOp::create(b, loc, in(0), in(1), b.getBoolAttr(fmod))};
  }
  if (op == "Pow") {
    // The exponent may have another type than the base (Pow-15); the result
    // has the base's type.
    Value x = in(0), y = in(1);
    auto xt = typeOf(x), yt = typeOf(y);
    if (xt.getElementType() == yt.getElementType())
      return {b.createOrFold<PowOp>(loc, x, y)};
    if (isa<FloatType>(xt.getElementType()) ||
        !isa<FloatType>(yt.getElementType()))
      return {b.createOrFold<PowOp>(
          loc, x,
          b.createOrFold<CastOp>(loc, yt.clone(xt.getElementType()), y))};
    // Integer base, float exponent: computed in the exponent's type.
    Value p = b.createOrFold<PowOp>(
        loc, b.createOrFold<CastOp>(loc, xt.clone(yt.getElementType()), x), y);
    return {
        b.createOrFold<CastOp>(loc, typeOf(p).clone(xt.getElementType()), p)};
  }
  if (op == "Max")
    return {foldVariadic<MaxOp>(b, loc, allInputs())};
  if (op == "Min")
    return {foldVariadic<MinOp>(b, loc, allInputs())};
  if (op == "Sum")
    return {foldVariadic<AddOp>(b, loc, allInputs())};
  if (op == "Where")
    return {WhereOp::create(b, loc, in(0), in(1), in(2))};
  if (op == "Identity")
    return {in(0)};
  if (op == "Dropout") {
    // Inference: the identity, and a mask that keeps everything.
    if (hasInput(node, 2)) {
      DenseIntElementsAttr training;
      if (!matchPattern(in(2), m_Constant(&training)) ||
          training.getNumElements() != 1)
        fail(node, "training_mode must be a compile-time constant");
      if (!(*training.getValues<APInt>().begin()).isZero())
        fail(node, "training_mode=true is not supported in inference");
    }
    if (node.output_size() < 2 || node.output(1).empty())
      return {in(0)};
    auto maskType =
        RankedTensorType::get(typeOf(in(0)).getShape(), b.getI1Type());
    return {in(0),
            ConstantOp::create(b, loc, DenseElementsAttr::get(maskType, true))};
  }
  if (op == "LeakyRelu")
    return {LeakyReluOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "alpha", 0.01f)))};
  if (op == "HardSigmoid")
    return {HardSigmoidOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "alpha", 0.2f)),
        b.getF64FloatAttr(floatAttr(node, "beta", 0.5f)))};
  if (op == "Clip") {
    // Constant float bounds give kiln.clip; integer tensors and bounds known
    // only at run time become max(x, min) then min(., max), which is
    // ONNX's definition (bounds are scalars, so they broadcast).
    bool isFloat = isa<FloatType>(typeOf(in(0)).getElementType());
    auto isConstOrAbsent = [&](int i) {
      return !hasInput(node, i) || matchPattern(in(i), m_Constant());
    };
    if (isFloat && isConstOrAbsent(1) && isConstOrAbsent(2)) {
      auto lo = constScalar(node, 1, "min"), hi = constScalar(node, 2, "max");
      return {ClipOp::create(b, loc, typeOf(in(0)), in(0),
                             lo ? b.getF64FloatAttr(*lo) : FloatAttr(),
                             hi ? b.getF64FloatAttr(*hi) : FloatAttr())};
    }
    Value r = in(0);
    for (int i : {1, 2}) {
      if (!hasInput(node, i))
        continue;
      auto bt = typeOf(in(i));
      if (bt.getNumElements() != 1 ||
          bt.getElementType() != typeOf(r).getElementType())
        fail(node, Twine(i == 1 ? "min" : "max") +
                       " must be a scalar of the input's element type");
      r = i == 1 ? b.createOrFold<MaxOp>(loc, r, in(i))
                 : b.createOrFold<MinOp>(loc, r, in(i));
    }
    return {r};
  }
  if (op == "Cast") {
    int64_t to = intAttr(node, "to", 0);
    Type et = tryElementType(to);
    if (!et)
      fail(node, "unsupported target dtype " + dtypeName(to));
    auto t = RankedTensorType::get(typeOf(in(0)).getShape(), et);
    return {b.createOrFold<CastOp>(loc, t, in(0))};
  }
  if (op == "CastLike") {
    auto t = typeOf(in(0)).clone(typeOf(in(1)).getElementType());
    return {b.createOrFold<CastOp>(loc, t, in(0))};
  }
  if (op == "Size") {
    auto t = RankedTensorType::get({}, b.getI64Type());
    return {ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(t, (int64_t)typeOf(in(0)).getNumElements()))};
  }
  if (op == "EyeLike") {
    auto it = typeOf(in(0));
    if (it.getRank() != 2)
      fail(node, "input must be 2-D, got rank " + Twine(it.getRank()));
    Type et = it.getElementType();
    if (auto *a = attr(node, "dtype")) {
      et = tryElementType(a->i());
      if (!et)
        fail(node, "unsupported dtype " + dtypeName(a->i()));
    }
    auto t = it.clone(et);
    int64_t k = intAttr(node, "k", 0);
    auto value = [&](bool one) -> Attribute {
      if (isa<FloatType>(et))
        return b.getFloatAttr(et, one ? 1.0 : 0.0);
      return b.getIntegerAttr(et, one ? 1 : 0);
    };
    SmallVector<Attribute> values;
    for (int64_t i = 0; i < t.getDimSize(0); ++i)
      for (int64_t j = 0; j < t.getDimSize(1); ++j)
        values.push_back(value(j - i == k));
    return {ConstantOp::create(b, loc, DenseElementsAttr::get(t, values))};
  }
  if (op == "Range") {
    Value start = in(0), delta = in(2);
    auto st = typeOf(start);
    if (st.getRank() != 0 || typeOf(in(1)).getRank() != 0 ||
        typeOf(delta).getRank() != 0)
      fail(node, "start, limit and delta must be scalars");
    // The length is max(ceil((limit - start) / delta), 0): from constant
    // inputs, else from the declared or inferred output type.
    std::optional<int64_t> n;
    DenseElementsAttr s, l, d;
    if (matchPattern(start, m_Constant(&s)) &&
        matchPattern(in(1), m_Constant(&l)) &&
        matchPattern(delta, m_Constant(&d))) {
      if (isa<FloatType>(st.getElementType())) {
        auto f = [](DenseElementsAttr a) {
          return a.getSplatValue<APFloat>().convertToDouble();
        };
        n = std::max<int64_t>(std::ceil((f(l) - f(s)) / f(d)), 0);
      } else {
        auto i = [](DenseElementsAttr a) {
          return a.getSplatValue<APInt>().getSExtValue();
        };
        if (i(d) == 0)
          fail(node, "delta must not be 0");
        n = std::max<int64_t>(llvm::divideCeilSigned(i(l) - i(s), i(d)), 0);
      }
    } else if (RankedTensorType t = inferredType(node.output(0))) {
      n = t.getDimSize(0);
    } else if (RankedTensorType t = declared.lookup(node.output(0))) {
      n = t.getDimSize(0);
    }
    if (!n)
      fail(node, "the output length must be known at compile time (constant "
                 "inputs or a static output shape)");
    return {b.createOrFold<RangeOp>(loc, st.clone({*n}), start, delta)};
  }
  if (op == "MatMul") {
    Value l = in(0), r = in(1);
    auto lt = typeOf(l), rt = typeOf(r);
    if (lt.getRank() == 0 || rt.getRank() == 0)
      fail(node, "operands must not be scalars");
    // numpy: a 1-D operand gets a unit dim that is dropped afterwards.
    if (lt.getRank() == 1)
      l = reshape(loc, l, {1, lt.getDimSize(0)});
    if (rt.getRank() == 1)
      r = reshape(loc, r, {rt.getDimSize(0), 1});
    Value m = MatMulOp::create(b, loc, l, r);
    if (lt.getRank() == 1 || rt.getRank() == 1) {
      // Drop the unit dims added above. A graph output has no value_info,
      // so this cannot rely on libonnx's inferred shape.
      SmallVector<int64_t> shape(typeOf(m).getShape());
      if (rt.getRank() == 1)
        shape.pop_back();
      if (lt.getRank() == 1)
        shape.erase(shape.end() - (rt.getRank() == 1 ? 1 : 2));
      m = reshape(loc, m, shape);
    }
    return {m};
  }
  if (op == "Gemm") {
    Value c = hasInput(node, 2) ? in(2) : Value();
    return {GemmOp::create(b, loc, in(0), in(1), c,
                           b.getF64FloatAttr(floatAttr(node, "alpha", 1.0f)),
                           b.getF64FloatAttr(floatAttr(node, "beta", 1.0f)),
                           b.getBoolAttr(intAttr(node, "transA", 0) != 0),
                           b.getBoolAttr(intAttr(node, "transB", 0) != 0))};
  }
  if (op == "Conv")
    return {convOrPool(node, /*isConv=*/true, false)};
  if (op == "MaxPool") {
    Value v = convOrPool(node, false, /*isMax=*/true);
    if (node.output_size() < 2 || node.output(1).empty())
      return {v};
    auto mp = v.getDefiningOp<MaxPoolOp>();
    return {v, MaxPoolIndicesOp::create(
                   b, loc, mp.getInput(), mp.getKernelShapeAttr(),
                   mp.getStridesAttr(), mp.getDilationsAttr(), mp.getPadsAttr(),
                   mp.getCeilModeAttr(),
                   b.getBoolAttr(intAttr(node, "storage_order", 0) != 0))};
  }
  if (op == "AveragePool")
    return {convOrPool(node, false, /*isMax=*/false)};
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    SmallVector<int64_t> axes;
    for (int64_t i = 2; i < typeOf(in(0)).getRank(); ++i)
      axes.push_back(i);
    auto a = b.getDenseI64ArrayAttr(axes);
    if (op == "GlobalMaxPool")
      return {ReduceMaxOp::create(b, loc, in(0), a, b.getBoolAttr(true))};
    return {ReduceMeanOp::create(b, loc, in(0), a, b.getBoolAttr(true))};
  }
  if (op == "BatchNormalization") {
    if (intAttr(node, "training_mode", 0) != 0)
      fail(node, "training_mode=1 is not supported in inference");
    for (int i = 1; i < node.output_size(); ++i)
      if (!node.output(i).empty())
        fail(node, "running mean/var outputs are only produced in training");
    return {BatchNormOp::create(
        b, loc, in(0), in(1), in(2), in(3), in(4),
        b.getF64FloatAttr(floatAttr(node, "epsilon", 1e-5f)))};
  }
  if (op == "LayerNormalization") {
    if (intAttr(node, "stash_type", 1) != 1)
      fail(node, "stash_type other than float is not supported");
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", -1), rank);
    bool wantStats = false;
    for (int i = 1; i < node.output_size(); ++i)
      wantStats |= !node.output(i).empty();
    if (wantStats) {
      // The Mean and InvStdDev outputs: spelled out as the ONNX function
      // body does, the statistics keeping the normalized dims as 1.
      auto axes = llvm::to_vector(llvm::seq<int64_t>(axis, rank));
      Value x = in(0);
      for (int i = 1; i < 3 && hasInput(node, i); ++i) {
        SmallVector<int64_t> shape;
        if (failed(broadcastShapes(typeOf(in(i)).getShape(),
                                   typeOf(x).getShape(), shape)) ||
            ArrayRef<int64_t>(shape) != typeOf(x).getShape())
          fail(node, "scale/bias do not broadcast to the input");
      }
      auto [mean, inv] =
          normStats(loc, x, axes, floatAttr(node, "epsilon", 1e-5f));
      Value centered = b.createOrFold<SubOp>(loc, x, mean);
      Value y = b.createOrFold<MulOp>(loc, centered, inv);
      y = b.createOrFold<MulOp>(loc, y, in(1));
      if (hasInput(node, 2))
        y = b.createOrFold<AddOp>(loc, y, in(2));
      return {y, mean, inv};
    }
    Value bias = hasInput(node, 2) ? in(2) : Value();
    return {LayerNormOp::create(
        b, loc, in(0), in(1), bias, b.getI64IntegerAttr(axis),
        b.getF64FloatAttr(floatAttr(node, "epsilon", 1e-5f)))};
  }
  if (op == "Softmax" || op == "LogSoftmax") {
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", -1), rank);
    return {SoftmaxOp::create(b, loc, in(0), b.getI64IntegerAttr(axis),
                              b.getBoolAttr(op == "LogSoftmax"))};
  }
  if (op == "ReduceMean" || op == "ReduceSum" || op == "ReduceMax" ||
      op == "ReduceMin" || op == "ReduceProd" || op == "ReduceL1" ||
      op == "ReduceL2" || op == "ReduceLogSum" || op == "ReduceLogSumExp" ||
      op == "ReduceSumSquare") {
    int64_t rank = typeOf(in(0)).getRank();
    SmallVector<int64_t> axes;
    // ReduceSum takes axes as an input from opset 13, the others from 18.
    if (op == "ReduceSum" && opset >= 13) {
      if (hasInput(node, 1))
        axes = reduceAxesInput(node);
    } else {
      axes = intsAttr(node, "axes").value_or(SmallVector<int64_t>());
    }
    if (axes.empty() && intAttr(node, "noop_with_empty_axes", 0))
      return {in(0)};
    if (op != "ReduceMean" && op != "ReduceSum" && op != "ReduceMax" &&
        op != "ReduceMin" && op != "ReduceProd")
      return {composedReduce(node, axes)};
    for (int64_t &a : axes)
      a = normAxis(node, a, rank);
    auto axesAttr = b.getDenseI64ArrayAttr(axes);
    auto keep = b.getBoolAttr(intAttr(node, "keepdims", 1) != 0);
    if (op == "ReduceMean")
      return {ReduceMeanOp::create(b, loc, in(0), axesAttr, keep)};
    if (op == "ReduceSum")
      return {ReduceSumOp::create(b, loc, in(0), axesAttr, keep)};
    if (op == "ReduceMax")
      return {ReduceMaxOp::create(b, loc, in(0), axesAttr, keep)};
    if (op == "ReduceMin")
      return {ReduceMinOp::create(b, loc, in(0), axesAttr, keep)};
    return {ReduceProdOp::create(b, loc, in(0), axesAttr, keep)};
  }
  if (SmallVector<Value> r = importNNOp(node); !r.empty())
    return r;
  if (SmallVector<Value> r = importDataOp(node); !r.empty())
    return r;
  if (op == "Reshape") {
    auto it = typeOf(in(0));
    if (!isConstInput(node, 1)) {
      RankedTensorType t = shapeFromOutput(node, 1, "shape");
      if (t.getNumElements() != it.getNumElements())
        fail(node, "output shape does not hold the input's elements");
      return {reshape(loc, in(0), t.getShape())};
    }
    SmallVector<int64_t> shape = constInts(node, 1, "shape");
    bool allowZero = intAttr(node, "allowzero", 0) != 0;
    int64_t known = 1, inferIdx = -1;
    for (auto [i, d] : llvm::enumerate(shape)) {
      if (d == 0 && !allowZero) {
        if ((int64_t)i >= it.getRank())
          fail(node, "shape entry 0 at " + Twine(i) + " has no input dim");
        d = it.getDimSize(i);
      }
      if (d == -1) {
        if (inferIdx >= 0)
          fail(node, "shape has more than one -1");
        inferIdx = i;
        continue;
      }
      if (d < 0)
        fail(node, "invalid shape entry " + Twine(d));
      known *= d;
    }
    if (inferIdx >= 0) {
      if (known == 0 || it.getNumElements() % known)
        fail(node, "cannot infer the -1 entry");
      shape[inferIdx] = it.getNumElements() / known;
    }
    auto t = RankedTensorType::get(shape, it.getElementType());
    if (t.getNumElements() != it.getNumElements())
      fail(node, "cannot reshape " + Twine(it.getNumElements()) +
                     " elements to " + Twine(t.getNumElements()));
    return {b.createOrFold<ReshapeOp>(loc, t, in(0))};
  }
  if (op == "Flatten") {
    auto it = typeOf(in(0));
    int64_t axis = intAttr(node, "axis", 1);
    if (axis < 0)
      axis += it.getRank();
    if (axis < 0 || axis > it.getRank())
      fail(node, "axis out of range");
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i)
      outer *= it.getDimSize(i);
    return {reshape(loc, in(0), {outer, it.getNumElements() / outer})};
  }
  if (op == "Squeeze" || op == "Unsqueeze") {
    auto it = typeOf(in(0));
    SmallVector<int64_t> axes;
    if (hasInput(node, 1) && !isConstInput(node, 1)) {
      // Squeezing/unsqueezing keeps the element order: the static output
      // shape is all that matters.
      RankedTensorType t = shapeFromOutput(node, 1, "axes");
      if (t.getNumElements() != it.getNumElements())
        fail(node, "output shape does not hold the input's elements");
      return {reshape(loc, in(0), t.getShape())};
    }
    if (hasInput(node, 1))
      axes = constInts(node, 1, "axes");
    SmallVector<int64_t> shape;
    if (op == "Squeeze") {
      for (int64_t &a : axes)
        a = normAxis(node, a, it.getRank());
      for (int64_t i = 0; i < it.getRank(); ++i) {
        bool listed = llvm::is_contained(axes, i);
        if (listed && it.getDimSize(i) != 1)
          fail(node, "cannot squeeze dim " + Twine(i) + " of size " +
                         Twine(it.getDimSize(i)));
        if (!(listed || (axes.empty() && it.getDimSize(i) == 1)))
          shape.push_back(it.getDimSize(i));
      }
    } else {
      int64_t rank = it.getRank() + axes.size();
      for (int64_t &a : axes)
        a = normAxis(node, a, rank);
      auto dims = it.getShape();
      for (int64_t i = 0, j = 0; i < rank; ++i)
        shape.push_back(llvm::is_contained(axes, i) ? 1 : dims[j++]);
    }
    return {reshape(loc, in(0), shape)};
  }
  if (op == "Transpose") {
    int64_t rank = typeOf(in(0)).getRank();
    SmallVector<int64_t> perm;
    if (auto p = intsAttr(node, "perm"))
      perm = *p;
    else
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    return {
        b.createOrFold<TransposeOp>(loc, in(0), b.getDenseI64ArrayAttr(perm))};
  }
  if (op == "Concat") {
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", 0), rank);
    return {
        b.createOrFold<ConcatOp>(loc, allInputs(), b.getI64IntegerAttr(axis))};
  }
  if (op == "Slice" || op == "Split") {
    auto it = typeOf(in(0));
    int64_t rank = it.getRank();
    auto slice = [&](ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
                     ArrayRef<int64_t> steps) {
      return b.createOrFold<SliceOp>(loc, in(0), b.getDenseI64ArrayAttr(starts),
                                     b.getDenseI64ArrayAttr(ends),
                                     b.getDenseI64ArrayAttr(steps));
    };
    SmallVector<int64_t> starts(rank, 0), ends(it.getShape()), steps(rank, 1);
    if (op == "Split") {
      int64_t axis = normAxis(node, intAttr(node, "axis", 0), rank);
      int64_t dim = it.getDimSize(axis), n = node.output_size();
      SmallVector<int64_t> sizes;
      if (hasInput(node, 1) && !isConstInput(node, 1)) {
        // The sizes are the outputs' static extents along the axis.
        for (int64_t i = 0; i < n; ++i) {
          RankedTensorType t = knownType(node, i);
          if (!t || t.getRank() != rank)
            fail(node, "split (input '" + node.input(1) +
                           "') must be a compile-time constant, or the "
                           "output shapes must be static");
          sizes.push_back(t.getDimSize(axis));
        }
      } else if (hasInput(node, 1)) {
        sizes = constInts(node, 1, "split");
      } else if (auto a = intsAttr(node, "split")) {
        sizes = *a;
      } else {
        for (int64_t i = 0; i < n; ++i)
          sizes.push_back(dim / n + (i < dim % n ? 1 : 0));
      }
      if ((int64_t)sizes.size() != n)
        fail(node, "split has " + Twine(sizes.size()) + " sizes for " +
                       Twine(n) + " outputs");
      SmallVector<Value> results;
      int64_t offset = 0;
      for (int64_t s : sizes) {
        if (s < 0)
          fail(node, "negative split size " + Twine(s));
        starts[axis] = offset;
        ends[axis] = offset + s;
        offset += s;
        if (ends[axis] > dim)
          fail(node, "split sizes exceed the dimension " + Twine(dim));
        results.push_back(slice(starts, ends, steps));
      }
      return results;
    }
    if (llvm::any_of(llvm::seq(1, 5), [&](int i) {
          return hasInput(node, i) && !isConstInput(node, i);
        })) {
      // Run-time bounds: the static output type fixes the shape.
      RankedTensorType t = shapeFromOutput(node, 1, "starts");
      int64_t n = typeOf(in(1)).getNumElements();
      auto i64s = [&](ArrayRef<int64_t> v) {
        return ConstantOp::create(
            b, loc,
            DenseElementsAttr::get(
                RankedTensorType::get({(int64_t)v.size()}, b.getI64Type()), v));
      };
      Value axes = hasInput(node, 3)
                       ? in(3)
                       : i64s(llvm::to_vector(llvm::seq<int64_t>(0, n)));
      Value steps =
          hasInput(node, 4) ? in(4) : i64s(SmallVector<int64_t>(n, 1));
      return {DynamicSliceOp::create(b, loc, t, in(0), in(1), axes, steps)};
    }
    SmallVector<int64_t> s = constInts(node, 1, "starts");
    SmallVector<int64_t> e = constInts(node, 2, "ends");
    SmallVector<int64_t> axes, st;
    if (hasInput(node, 3))
      axes = constInts(node, 3, "axes");
    else
      axes = llvm::to_vector(llvm::seq<int64_t>(0, s.size()));
    if (hasInput(node, 4))
      st = constInts(node, 4, "steps");
    else
      st.assign(s.size(), 1);
    if (s.size() != e.size() || s.size() != axes.size() ||
        s.size() != st.size())
      fail(node, "starts, ends, axes and steps differ in length");
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t a = normAxis(node, axes[i], rank), dim = it.getDimSize(a);
      int64_t step = st[i];
      if (step == 0)
        fail(node, "step must not be 0");
      // Clamp as ONNX specifies: [0, dim] for positive steps, [-1, dim-1]
      // for negative ones.
      auto clampIdx = [&](int64_t v) {
        if (v < 0)
          v += dim;
        return step > 0 ? std::clamp<int64_t>(v, 0, dim)
                        : std::clamp<int64_t>(v, -1, dim - 1);
      };
      starts[a] = clampIdx(s[i]);
      ends[a] = clampIdx(e[i]);
      steps[a] = step;
    }
    return {slice(starts, ends, steps)};
  }
  if (op == "Gather") {
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", 0), rank);
    // Constant indices are checked here; nothing checks them at run time.
    int64_t dim = typeOf(in(0)).getDimSize(axis);
    DenseIntElementsAttr indices;
    if (matchPattern(in(1), m_Constant(&indices)))
      for (const APInt &v : indices.getValues<APInt>())
        if (v.getSExtValue() < -dim || v.getSExtValue() >= dim)
          fail(node, "index " + Twine(v.getSExtValue()) +
                         " out of range for axis " + Twine(axis) + " of size " +
                         Twine(dim));
    return {
        b.createOrFold<GatherOp>(loc, in(0), in(1), b.getI64IntegerAttr(axis))};
  }
  if (op == "Pad") {
    std::string mode = stringAttr(node, "mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge")
      fail(node, "unsupported mode '" + mode + "'");
    if (!isConstInput(node, 1) ||
        (hasInput(node, 2) && !isConstInput(node, 2))) {
      // Run-time pads or value: the static output type fixes the shape.
      if (hasInput(node, 3))
        fail(node, "axes with run-time pads are not supported");
      if (mode != "constant" && mode != "reflect" && mode != "edge")
        fail(node, "unsupported mode '" + mode + "'");
      RankedTensorType t = shapeFromOutput(node, 1, "pads");
      Value v = hasInput(node, 2) ? reshape(loc, in(2), {}) : Value();
      return {DynamicPadOp::create(b, loc, t, in(0), in(1), v,
                                   b.getStringAttr(mode))};
    }
    SmallVector<int64_t> pads = constInts(node, 1, "pads");
    int64_t rank = typeOf(in(0)).getRank();
    if (hasInput(node, 3)) {
      SmallVector<int64_t> axes = constInts(node, 3, "axes");
      SmallVector<int64_t> full(2 * rank, 0);
      for (auto [i, a] : llvm::enumerate(axes)) {
        int64_t ax = normAxis(node, a, rank);
        full[ax] = pads[i];
        full[ax + rank] = pads[i + axes.size()];
      }
      pads = full;
    }
    if ((int64_t)pads.size() != 2 * rank)
      fail(node,
           "expected " + Twine(2 * rank) + " pads, got " + Twine(pads.size()));
    if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
      fail(node, "negative pads are not supported");
    double value = 0.0;
    if (hasInput(node, 2)) {
      DenseElementsAttr v;
      if (!matchPattern(in(2), m_Constant(&v)))
        fail(node, "constant_value must be a compile-time constant");
      value = isa<FloatType>(v.getElementType())
                  ? (*v.getValues<APFloat>().begin()).convertToDouble()
                  : (double)(*v.getValues<APInt>().begin()).getSExtValue();
    }
    return {PadOp::create(b, loc, in(0), b.getDenseI64ArrayAttr(pads),
                          b.getStringAttr(mode), b.getF64FloatAttr(value))};
  }
  if (op == "Expand") {
    SmallVector<int64_t> shape;
    if (isConstInput(node, 1))
      shape = constInts(node, 1, "shape");
    else
      llvm::append_range(shape, shapeFromOutput(node, 1, "shape").getShape());
    SmallVector<int64_t> result;
    if (failed(broadcastShapes(typeOf(in(0)).getShape(), shape, result)))
      fail(node, "input does not broadcast to the requested shape");
    auto t = RankedTensorType::get(result, typeOf(in(0)).getElementType());
    return {b.createOrFold<ExpandOp>(loc, t, in(0))};
  }
  if (op == "Shape") {
    auto it = typeOf(in(0));
    int64_t rank = it.getRank();
    int64_t start = intAttr(node, "start", 0), end = intAttr(node, "end", rank);
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    auto dims = it.getShape().slice(start, end - start);
    auto t = RankedTensorType::get({(int64_t)dims.size()}, b.getI64Type());
    return {ConstantOp::create(b, loc, DenseIntElementsAttr::get(t, dims))};
  }
  if (op == "Constant") {
    if (auto *a = attr(node, "value"))
      return {ConstantOp::create(
          b, loc, tensorAttr(a->t(), "node '" + nodeName(node) + "' value"))};
    if (auto *a = attr(node, "value_float"))
      return {ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                 a->f()))};
    if (auto *a = attr(node, "value_floats")) {
      SmallVector<float> v(a->floats().begin(), a->floats().end());
      return {ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({(int64_t)v.size()}, b.getF32Type()),
              ArrayRef<float>(v)))};
    }
    if (auto *a = attr(node, "value_int"))
      return {ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                 (int64_t)a->i()))};
    if (auto *a = attr(node, "value_ints")) {
      SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
      return {ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({(int64_t)v.size()}, b.getI64Type()),
              ArrayRef<int64_t>(v)))};
    }
    fail(node, "unsupported Constant form (sparse or string value)");
  }
  if (op == "ConstantOfShape") {
    // The shape input is usually constant; a graph input works when the
    // output's static type is known.
    SmallVector<int64_t> shape;
    RankedTensorType known = inferredType(node.output(0));
    if (!known)
      known = declared.lookup(node.output(0));
    if (known && !matchPattern(in(0), m_Constant()))
      shape.assign(known.getShape().begin(), known.getShape().end());
    else
      shape = constInts(node, 0, "shape");
    ElementsAttr value;
    if (auto *a = attr(node, "value"))
      value = tensorAttr(a->t(), "ConstantOfShape value");
    if (value && value.getNumElements() != 1)
      fail(node,
           "value must hold one element, got " + Twine(value.getNumElements()));
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
      fail(node, "negative dimension in shape");
    Type et = value ? value.getElementType() : b.getF32Type();
    auto t = RankedTensorType::get(shape, et);
    Attribute v =
        value ? cast<DenseElementsAttr>(value).getSplatValue<Attribute>()
              : b.getF32FloatAttr(0.0f);
    return {ConstantOp::create(b, loc, DenseElementsAttr::get(t, v))};
  }
  fail(node, "unsupported operator");
}

OwningOpRef<ModuleOp> Importer::run(onnx::ModelProto &model) {
  ctx->loadDialect<KilnDialect, func::FuncDialect>();
  for (const auto &o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
    else
      fail("operator set domain '" + o.domain() + "' is not supported");
  }
  // Older opsets were converted to kMinOpset before the import.
  if (opset < kMinOpset || opset > kMaxOpset)
    fail("model uses opset " + Twine(opset) + "; Kiln supports opsets " +
         Twine(kMinOpset) + "-" + Twine(kMaxOpset) +
         " (older ones are converted to " + Twine(kMinOpset) + ")");
  const onnx::GraphProto &g = model.graph();

  for (const auto &vi : g.value_info()) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
      continue;
    // value_info is only a hint: the node producing an unsupported value
    // reports it.
    bool isStatic =
        static_cast<bool>(tryElementType(vi.type().tensor_type().elem_type()));
    for (const auto &d : vi.type().tensor_type().shape().dim())
      isStatic &= d.has_dim_value() && d.dim_value() >= 0;
    if (isStatic)
      inferred[vi.name()] = tensorType(vi.type(), vi.name());
  }
  for (const auto &vi : g.output()) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape() ||
        !tryElementType(vi.type().tensor_type().elem_type()))
      continue;
    bool isStatic = true;
    for (const auto &d : vi.type().tensor_type().shape().dim())
      isStatic &= d.has_dim_value() && d.dim_value() >= 0;
    if (isStatic)
      declared[vi.name()] = tensorType(vi.type(), vi.name());
  }

  auto module = ModuleOp::create(FileLineColLoc::get(ctx, source, 0, 0));
  OwningOpRef<ModuleOp> owner(module);
  b.setInsertionPointToEnd(module.getBody());

  llvm::StringSet<> initNames;
  for (const auto &t : g.initializer())
    initNames.insert(t.name());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &vi : g.input()) {
    if (initNames.contains(vi.name()))
      continue;
    argTypes.push_back(
        tensorType(vi.type(), "graph input '" + vi.name() + "'"));
    argNames.push_back(vi.name());
  }
  SmallVector<Type> resultTypes;
  for (const auto &vi : g.output()) {
    resultTypes.push_back(
        tensorType(vi.type(), "graph output '" + vi.name() + "'"));
    graphOutputs[vi.name()] = cast<RankedTensorType>(resultTypes.back());
  }
  if (resultTypes.empty())
    fail("the graph has no outputs");

  auto func = func::FuncOp::create(b, module.getLoc(), kEntryName,
                                   b.getFunctionType(argTypes, resultTypes));
  for (auto [i, name] : llvm::enumerate(argNames))
    func.setArgAttr(i, kNameAttr, b.getStringAttr(name));
  for (auto [i, vi] : llvm::enumerate(g.output()))
    func.setResultAttr(i, kNameAttr, b.getStringAttr(vi.name()));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  for (auto [i, name] : llvm::enumerate(argNames))
    values[name] = entry->getArgument(i);

  for (const auto &t : g.initializer()) {
    Location loc = NameLoc::get(b.getStringAttr(t.name()), module.getLoc());
    values[t.name()] = ConstantOp::create(
        b, loc, tensorAttr(t, "initializer '" + t.name() + "'"));
  }

  for (const auto &node : g.node()) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      fail(node, "operator domain '" + node.domain() + "' is not supported");
    SmallVector<Value> outs = importNode(node);
    for (int i = 0; i < node.output_size(); ++i) {
      if (node.output(i).empty())
        continue;
      if (i >= (int)outs.size())
        fail(node, "output #" + Twine(i) + " is not supported");
      Value v = outs[i];
      // Cross-check against libonnx's shape inference where it had one.
      RankedTensorType expected = inferredType(node.output(i));
      if (expected && expected != v.getType())
        fail(node, "output '" + node.output(i) + "' was inferred as " +
                       llvm::formatv("{0}", expected).str() +
                       " by ONNX but as " +
                       llvm::formatv("{0}", v.getType()).str() + " by Kiln");
      values[node.output(i)] = v;
    }
    ++index;
  }

  SmallVector<Value> results;
  for (auto [i, vi] : llvm::enumerate(g.output())) {
    auto it = values.find(vi.name());
    if (it == values.end())
      fail("graph output '" + vi.name() + "' is never produced");
    if (it->second.getType() != resultTypes[i])
      fail("graph output '" + vi.name() + "' is declared as " +
           llvm::formatv("{0}", resultTypes[i]).str() + " but computed as " +
           llvm::formatv("{0}", it->second.getType()).str());
    results.push_back(it->second);
  }
  func::ReturnOp::create(b, module.getLoc(), results);
  // A mapping that misses a type constraint must not hand later passes an
  // invalid module; the verifier's message names the node's location.
  if (failed(verify(module)))
    fail("internal error: the importer produced an invalid module");
  return owner;
}

/// The version of the default ("" or "ai.onnx") operator set the model
/// imports, or 0.
int64_t defaultOpset(const onnx::ModelProto &model) {
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      return o.version();
  return 0;
}

/// PRelu before opset 7 applies a 1-D slope of size C per channel (dim 1),
/// as PyTorch exported it; from PRelu-7 on the slope broadcasts like numpy,
/// and libonnx's version converter keeps the node as it is. Such slopes get
/// an Unsqueeze to [C, 1, ..., 1] so that the converted model means the
/// same. Uses the shapes inferred on the old model.
void upgradeLegacyPRelu(onnx::ModelProto &model) {
  onnx::GraphProto *g = model.mutable_graph();
  llvm::StringMap<SmallVector<int64_t>> shapes;
  auto addShape = [&](const onnx::ValueInfoProto &vi) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
      return;
    SmallVector<int64_t> dims;
    for (const auto &d : vi.type().tensor_type().shape().dim())
      dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    shapes[vi.name()] = dims;
  };
  for (const auto &vi : g->input())
    addShape(vi);
  for (const auto &vi : g->value_info())
    addShape(vi);
  for (const auto &t : g->initializer())
    shapes[t.name()] = SmallVector<int64_t>(t.dims().begin(), t.dims().end());

  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  int count = 0;
  for (const onnx::NodeProto &node : g->node()) {
    auto x = shapes.find(node.input_size() == 2 ? node.input(0) : "");
    auto slope = shapes.find(node.input_size() == 2 ? node.input(1) : "");
    if (node.op_type() == "PRelu" && x != shapes.end() &&
        slope != shapes.end() && x->second.size() >= 3 &&
        slope->second.size() == 1 && slope->second[0] > 1 &&
        slope->second[0] == x->second[1]) {
      onnx::NodeProto *unsqueeze = nodes.Add();
      std::string name =
          node.input(1) + "_per_channel_" + std::to_string(count++);
      unsqueeze->set_op_type("Unsqueeze");
      unsqueeze->set_name(name);
      unsqueeze->add_input(node.input(1));
      unsqueeze->add_output(name);
      onnx::AttributeProto *axes = unsqueeze->add_attribute();
      axes->set_name("axes");
      axes->set_type(onnx::AttributeProto::INTS);
      for (size_t i = 2; i < x->second.size(); ++i)
        axes->add_ints(i - 1);
      onnx::NodeProto *prelu = nodes.Add();
      *prelu = node;
      prelu->set_input(1, name);
      continue;
    }
    *nodes.Add() = node;
  }
  g->mutable_node()->Swap(&nodes);
}

/// Parses binary protobuf, or the ONNX text format when the buffer is not
/// a valid binary model.
bool parseModel(StringRef buffer, onnx::ModelProto &model, std::string &error) {
  if (buffer.empty()) {
    error = "the file is empty";
    return false;
  }
  if (model.ParseFromArray(buffer.data(), buffer.size()) && model.has_graph())
    return true;
  model.Clear();
  // ONNX text holds no control characters; a buffer that does was meant as
  // a binary model, and the text parser's error would only echo its bytes.
  if (llvm::any_of(buffer, [](char c) {
        return !llvm::isPrint(c) && !llvm::isSpace(c) &&
               static_cast<unsigned char>(c) < 0x80;
      })) {
    error = "not a valid binary ONNX model (truncated or corrupt protobuf)";
    return false;
  }
  std::string text = buffer.str();
  // The text parser converts numbers with std::stoll and friends, which
  // throw on malformed or out-of-range literals.
  try {
    auto status = onnx::OnnxParser::Parse(model, text.c_str());
    if (status.IsOK())
      return true;
    error = "not a binary ONNX model, and not ONNX text (" +
            status.ErrorMessage() + ")";
  } catch (const std::logic_error &e) {
    error = std::string("not a binary ONNX model, and not ONNX text (a "
                        "malformed or out-of-range number: ") +
            e.what() + ")";
  } catch (const std::exception &e) {
    error = std::string("not a binary ONNX model, and not ONNX text (") +
            e.what() + ")";
  }
  return false;
}

} // namespace

OwningOpRef<ModuleOp> mlir::kiln::importONNXBuffer(StringRef buffer,
                                                   StringRef sourceName,
                                                   MLIRContext *ctx) {
  Location fileLoc = FileLineColLoc::get(ctx, sourceName, 0, 0);
  onnx::ModelProto model;
  std::string error;
  if (!parseModel(buffer, model, error)) {
    emitError(fileLoc) << "cannot parse '" << sourceName << "': " << error;
    return nullptr;
  }
  // The checker rejects a graph input or output without a shape, but does
  // not say which one; and libonnx's shape inference can spin on huge
  // dimensions.
  auto allShaped = [&](const auto &values, StringRef kind) {
    for (const onnx::ValueInfoProto &vi : values) {
      const onnx::TypeProto &type = vi.type();
      if (!type.has_tensor_type())
        continue;
      if (!type.tensor_type().has_shape()) {
        emitError(fileLoc) << "graph " << kind << " '" << vi.name()
                           << "' has no shape (unranked tensors are not "
                              "supported)";
        return false;
      }
      SmallVector<int64_t> dims;
      for (const auto &d : type.tensor_type().shape().dim())
        if (d.has_dim_value())
          dims.push_back(d.dim_value());
      std::string bad = checkDims(dims);
      if (!bad.empty()) {
        emitError(fileLoc) << "graph " << kind << " '" << vi.name()
                           << "': " << bad;
        return false;
      }
    }
    return true;
  };
  if (!allShaped(model.graph().input(), "input") ||
      !allShaped(model.graph().output(), "output"))
    return nullptr;
  // libonnx's checker does not catch a graph output that nothing produces,
  // and its version converter then dereferences a null value.
  {
    llvm::StringSet<> defined;
    for (const auto &vi : model.graph().input())
      defined.insert(vi.name());
    for (const auto &t : model.graph().initializer())
      defined.insert(t.name());
    for (const auto &n : model.graph().node())
      for (const std::string &o : n.output())
        defined.insert(o);
    for (const auto &vi : model.graph().output()) {
      if (!defined.contains(vi.name())) {
        emitError(fileLoc) << "graph output '" << vi.name()
                           << "' is never produced";
        return nullptr;
      }
    }
  }
  for (const onnx::TensorProto &t : model.graph().initializer()) {
    std::string bad = checkDims(t.dims());
    if (!bad.empty()) {
      emitError(fileLoc) << "initializer '" << t.name() << "': " << bad;
      return nullptr;
    }
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    emitError(fileLoc) << "invalid ONNX model: " << e.what();
    return nullptr;
  }
  // The importer implements the operator versions of opsets 13-17; older
  // models are upgraded with libonnx's version converter. It assumes a
  // well-formed graph (so it runs after the checker) and needs the shapes of
  // intermediate values for some adapters (Gemm, Softmax, broadcasting ops),
  // so shapes are inferred first as far as the old opset allows; the strict
  // inference below then runs on the converted model.
  if (int64_t opset = defaultOpset(model); opset > 0 && opset < kMinOpset) {
    try {
      onnx::shape_inference::InferShapes(model,
                                         onnx::OpSchemaRegistry::Instance());
      if (opset < 7)
        upgradeLegacyPRelu(model);
      model = onnx::version_conversion::ConvertVersion(model, kMinOpset);
    } catch (const std::exception &e) {
      emitError(fileLoc) << "cannot convert opset " << opset << " to "
                         << kMinOpset << ": " << e.what();
      return nullptr;
    }
  }
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/true, /*error_mode=*/1,
                                        /*data_prop=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    emitError(fileLoc) << "ONNX shape inference failed: " << e.what();
    return nullptr;
  }
  try {
    Importer importer(ctx, sourceName);
    return importer.run(model);
  } catch (const ImportFailure &) {
    return nullptr;
  } catch (const std::exception &e) {
    emitError(fileLoc) << "ONNX import failed: " << e.what();
    return nullptr;
  }
}

OwningOpRef<ModuleOp> mlir::kiln::importONNXFile(StringRef path,
                                                 MLIRContext *ctx) {
  auto file = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false);
  if (!file) {
    emitError(UnknownLoc::get(ctx))
        << "cannot read '" << path << "': " << file.getError().message();
    return nullptr;
  }
  return importONNXBuffer((*file)->getBuffer(), path, ctx);
}
