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

  SmallVector<Value> importNode(const onnx::NodeProto &node);
  Value reshape(Location loc, Value v, ArrayRef<int64_t> shape) {
    auto t = RankedTensorType::get(shape, typeOf(v).getElementType());
    return b.createOrFold<ReshapeOp>(loc, t, v);
  }
  Value convOrPool(const onnx::NodeProto &node, bool isConv, bool isMax);

  MLIRContext *ctx;
  OpBuilder b;
  std::string source;
  int64_t opset = 0;
  int index = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<RankedTensorType> inferred;
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
    case TP::FLOAT16:
    case TP::BFLOAT16:
      appendAs<int16_t>(bytes, t.int32_data());
      break;
    case TP::INT8:
    case TP::BOOL:
      appendAs<int8_t>(bytes, t.int32_data());
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
Value Importer::convOrPool(const onnx::NodeProto &node, bool isConv,
                           bool isMax) {
  Location loc = nodeLoc(node);
  Value x = input(node, 0);
  auto xt = typeOf(x);
  int64_t spatial = xt.getRank() - 2;
  if (spatial < 1)
    fail(node, "input must have rank >= 3, got " + Twine(xt.getRank()));
  SmallVector<int64_t> kernel;
  if (isConv) {
    auto wt = typeOf(input(node, 1));
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
  if (isConv) {
    Value bias = hasInput(node, 2) ? input(node, 2) : Value();
    return ConvOp::create(
        b, loc, x, input(node, 1), bias, b.getDenseI64ArrayAttr(strides),
        b.getDenseI64ArrayAttr(dilations), b.getDenseI64ArrayAttr(pads),
        b.getI64IntegerAttr(intAttr(node, "group", 1)));
  }
  if (isMax && node.output_size() > 1 && !node.output(1).empty())
    fail(node, "the Indices output is not supported");
  if (isMax && intAttr(node, "storage_order", 0) != 0)
    fail(node, "storage_order=1 is not supported");
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

template <typename OpTy>
static Value foldVariadic(OpBuilder &b, Location loc, ArrayRef<Value> inputs) {
  Value r = inputs.front();
  for (Value v : inputs.drop_front())
    r = b.createOrFold<OpTy>(loc, r, v);
  return r;
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
#undef UNARY
#define BINARY(NAME, OP)                                                       \
  if (op == NAME)                                                              \
    return {b.createOrFold<OP>(loc, in(0), in(1))};
  BINARY("Add", AddOp)
  BINARY("Sub", SubOp)
  BINARY("Mul", MulOp)
  BINARY("Div", DivOp)
  BINARY("Pow", PowOp)
#undef BINARY
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
    if (node.output_size() > 1 && !node.output(1).empty())
      fail(node, "the mask output is not supported in inference");
    return {in(0)};
  }
  if (op == "LeakyRelu")
    return {LeakyReluOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "alpha", 0.01f)))};
  if (op == "HardSigmoid")
    return {HardSigmoidOp::create(
        b, loc, in(0), b.getF64FloatAttr(floatAttr(node, "alpha", 0.2f)),
        b.getF64FloatAttr(floatAttr(node, "beta", 0.5f)))};
  if (op == "Clip") {
    auto lo = constScalar(node, 1, "min"), hi = constScalar(node, 2, "max");
    return {ClipOp::create(b, loc, typeOf(in(0)), in(0),
                           lo ? b.getF64FloatAttr(*lo) : FloatAttr(),
                           hi ? b.getF64FloatAttr(*hi) : FloatAttr())};
  }
  if (op == "Cast") {
    int64_t to = intAttr(node, "to", 0);
    Type et = tryElementType(to);
    if (!et)
      fail(node, "unsupported target dtype " + dtypeName(to));
    auto t = RankedTensorType::get(typeOf(in(0)).getShape(), et);
    return {b.createOrFold<CastOp>(loc, t, in(0))};
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
  if (op == "MaxPool")
    return {convOrPool(node, false, /*isMax=*/true)};
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
    for (int i = 1; i < node.output_size(); ++i)
      if (!node.output(i).empty())
        fail(node, "the Mean/InvStdDev outputs are not supported");
    if (intAttr(node, "stash_type", 1) != 1)
      fail(node, "stash_type other than float is not supported");
    int64_t rank = typeOf(in(0)).getRank();
    int64_t axis = normAxis(node, intAttr(node, "axis", -1), rank);
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
      op == "ReduceMin" || op == "ReduceProd") {
    int64_t rank = typeOf(in(0)).getRank();
    SmallVector<int64_t> axes;
    // ReduceSum takes axes as an input from opset 13, the others from 18.
    if (op == "ReduceSum") {
      if (hasInput(node, 1))
        axes = constInts(node, 1, "axes");
    } else {
      axes = intsAttr(node, "axes").value_or(SmallVector<int64_t>());
    }
    if (axes.empty() && intAttr(node, "noop_with_empty_axes", 0))
      return {in(0)};
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
  if (op == "Reshape") {
    SmallVector<int64_t> shape = constInts(node, 1, "shape");
    auto it = typeOf(in(0));
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
      if (hasInput(node, 1)) {
        sizes = constInts(node, 1, "split");
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
    SmallVector<int64_t> shape = constInts(node, 1, "shape");
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
    SmallVector<int64_t> shape = constInts(node, 0, "shape");
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
  if (opset < kMinOpset || opset > kMaxOpset)
    fail("model uses opset " + Twine(opset) + "; Kiln supports opsets " +
         Twine(kMinOpset) + "-" + Twine(kMaxOpset));
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
  for (const auto &vi : g.output())
    resultTypes.push_back(
        tensorType(vi.type(), "graph output '" + vi.name() + "'"));
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
  return owner;
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
