//===- KilnOps.td - the kiln dialect ------------------------*- tablegen -*-===//
//
// Kiln models a neural network as ops on ranked tensors with value semantics.
// Ops follow ONNX semantics; attributes are normalized at import (negative
// axes resolved, pads spelled out per spatial dimension) so passes need not
// re-derive them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_OPS
#define KILN_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::mlir::kiln";
  let summary = "Neural-network graph dialect of the Kiln compiler";
  let description = [{
    Ops of a trained network (ONNX semantics) on ranked tensors. Each op's
    location carries the ONNX node name it came from, so diagnostics and
    reports speak the user's names.
  }];
  let hasConstantMaterializer = 1;
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

// Signed integers are signless (`i8`..`i64`), unsigned ONNX types are `ui8`..
// `ui64` (the lowering picks unsigned arith ops for them), bool is `i1`.
def Kiln_Tensor : RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                  AnyUnsignedInteger]>;
def Kiln_FloatTensor : RankedTensorOf<[AnyFloat]>;
// Numbers: floats and (un)signed integers, not bool.
def Kiln_NumericTensor : RankedTensorOf<[AnyFloat, I8, I16, I32, I64, UI8,
                                         UI16, UI32, UI64]>;
def Kiln_BoolTensor : RankedTensorOf<[I1]>;
def Kiln_UnsignedTensor : RankedTensorOf<[UI8, UI16, UI32, UI64]>;
def Kiln_IndexTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Kiln_ConstantOp : Kiln_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "tensor constant (weights are dense_resource blobs)";
  let description = [{
    ```mlir
    %w = kiln.constant dense_resource<conv1.weight> : tensor<8x1x3x3xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Kiln_UnaryOp<string mnemonic, list<Trait> traits = [],
                   Type type = Kiln_FloatTensor>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, Elementwise,
                                             SameOperandsAndResultType])> {
  let summary = "elementwise " # mnemonic;
  let arguments = (ins type:$input);
  let results = (outs type:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_AbsOp : Kiln_UnaryOp<"abs", [], Kiln_NumericTensor>;
def Kiln_CeilOp : Kiln_UnaryOp<"ceil">;
def Kiln_CosOp : Kiln_UnaryOp<"cos">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf">;
def Kiln_ExpOp : Kiln_UnaryOp<"exp">;
def Kiln_FloorOp : Kiln_UnaryOp<"floor">;
def Kiln_LogOp : Kiln_UnaryOp<"log">;
def Kiln_NegOp : Kiln_UnaryOp<"neg", [], Kiln_NumericTensor> {
  // Shape computations negate constant axes and extents.
  let hasFolder = 1;
}
def Kiln_ReciprocalOp : Kiln_UnaryOp<"reciprocal">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu">;
def Kiln_RoundOp : Kiln_UnaryOp<"round">;
def Kiln_SigmoidOp : Kiln_UnaryOp<"sigmoid">;
def Kiln_SinOp : Kiln_UnaryOp<"sin">;
def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh">;
// -1, 0 or 1; floats keep 0, -0 and NaN (numpy.sign).
def Kiln_SignOp : Kiln_UnaryOp<"sign", [], Kiln_NumericTensor>;
def Kiln_NotOp : Kiln_UnaryOp<"not", [], Kiln_BoolTensor> {
  let summary = "elementwise logical not";
  let hasFolder = 1;
}
def Kiln_AcosOp : Kiln_UnaryOp<"acos">;
def Kiln_AcoshOp : Kiln_UnaryOp<"acosh">;
def Kiln_AsinOp : Kiln_UnaryOp<"asin">;
def Kiln_AsinhOp : Kiln_UnaryOp<"asinh">;
def Kiln_AtanOp : Kiln_UnaryOp<"atan">;
def Kiln_AtanhOp : Kiln_UnaryOp<"atanh">;
def Kiln_CoshOp : Kiln_UnaryOp<"cosh">;
def Kiln_SinhOp : Kiln_UnaryOp<"sinh">;
def Kiln_TanOp : Kiln_UnaryOp<"tan">;
// log(1 + exp(x)), computed as max(x, 0) + log1p(exp(-|x|)) so that it
// neither overflows nor loses the small values.
def Kiln_SoftplusOp : Kiln_UnaryOp<"softplus">;

def Kiln_EluOp : Kiln_Op<"elu", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "x if x >= 0 else alpha * (exp(x) - 1)";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_ThresholdedReluOp : Kiln_Op<"thresholded_relu", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "x if x > alpha else 0";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_ShrinkOp : Kiln_Op<"shrink", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "x + bias if x < -lambd, x - bias if x > lambd, else 0";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<F64Attr, "0.0">:$bias,
                   DefaultValuedAttr<F64Attr, "0.5">:$lambd);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_ClipOp : Kiln_Op<"clip", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "clamp to [min, max] (either bound may be absent)";
  let arguments = (ins Kiln_FloatTensor:$input, OptionalAttr<F64Attr>:$min,
                   OptionalAttr<F64Attr>:$max);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Kiln_LeakyReluOp : Kiln_Op<"leaky_relu", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "x if x >= 0 else alpha * x";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<F64Attr, "0.01">:$alpha);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_HardSigmoidOp : Kiln_Op<"hard_sigmoid", [Pure, Elementwise,
    SameOperandsAndResultType]> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<F64Attr, "0.2">:$alpha,
                   DefaultValuedAttr<F64Attr, "0.5">:$beta);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_CastOp : Kiln_Op<"cast", [Pure, Elementwise,
    SameOperandsAndResultShape]> {
  let summary = "elementwise conversion to the result's element type";
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

// Binary ops broadcast their operands numpy-style; the result type is
// inferred and checked.
class Kiln_BinaryOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let summary = "elementwise " # mnemonic # " with numpy broadcasting";
  let arguments = (ins Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasFolder = 1;
}

def Kiln_AddOp : Kiln_BinaryOp<"add", [Commutative]>;
def Kiln_SubOp : Kiln_BinaryOp<"sub">;
def Kiln_MulOp : Kiln_BinaryOp<"mul", [Commutative]>;
def Kiln_DivOp : Kiln_BinaryOp<"div">;
def Kiln_PowOp : Kiln_BinaryOp<"pow">;
def Kiln_MaxOp : Kiln_BinaryOp<"max", [Commutative]>;
def Kiln_MinOp : Kiln_BinaryOp<"min", [Commutative]>;

def Kiln_WhereOp : Kiln_Op<"where", [Pure, InferTypeOpAdaptor]> {
  let summary = "select with numpy broadcasting";
  let arguments = (ins RankedTensorOf<[I1]>:$condition, Kiln_Tensor:$lhs,
                   Kiln_Tensor:$rhs);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$condition `,` $lhs `,` $rhs attr-dict `:` "
      "type($condition) `,` type($lhs) `,` type($rhs) `->` type($result)";
}

// Comparisons broadcast like binary ops and produce i1.
class Kiln_CompareOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])> {
  let summary = "elementwise " # mnemonic # " comparison with numpy "
                "broadcasting";
  let arguments = (ins Kiln_Tensor:$lhs, Kiln_Tensor:$rhs);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasFolder = 1;
}

def Kiln_EqualOp : Kiln_CompareOp<"equal", [Commutative]>;
def Kiln_LessOp : Kiln_CompareOp<"less">;
def Kiln_LessEqualOp : Kiln_CompareOp<"less_equal">;
def Kiln_GreaterOp : Kiln_CompareOp<"greater">;
def Kiln_GreaterEqualOp : Kiln_CompareOp<"greater_equal">;

class Kiln_LogicalOp<string mnemonic>
    : Kiln_Op<mnemonic, [Pure, Commutative, InferTypeOpAdaptor]> {
  let summary = "elementwise logical " # mnemonic # " with numpy broadcasting";
  let arguments = (ins Kiln_BoolTensor:$lhs, Kiln_BoolTensor:$rhs);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasFolder = 1;
}

def Kiln_AndOp : Kiln_LogicalOp<"and">;
def Kiln_OrOp : Kiln_LogicalOp<"or">;
def Kiln_XorOp : Kiln_LogicalOp<"xor">;

def Kiln_IsInfOp : Kiln_Op<"is_inf", [Pure, Elementwise, InferTypeOpAdaptor]> {
  let summary = "elementwise test for +inf and/or -inf";
  let arguments = (ins Kiln_FloatTensor:$input,
                   DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
                   DefaultValuedAttr<BoolAttr, "true">:$detect_negative);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Kiln_IsNaNOp : Kiln_Op<"is_nan", [Pure, Elementwise, InferTypeOpAdaptor]> {
  let summary = "elementwise test for NaN";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Kiln_BitShiftOp : Kiln_Op<"bitshift", [Pure, InferTypeOpAdaptor]> {
  let summary = "shift unsigned integers left or right, numpy broadcasting";
  let description = [{
    `direction` is "left" or "right"; shifting by the bit width or more gives
    0 (ONNX leaves it open; this matches numpy's uint semantics).
  }];
  let arguments = (ins Kiln_UnsignedTensor:$lhs, Kiln_UnsignedTensor:$rhs,
                   StrAttr:$direction);
  let results = (outs Kiln_UnsignedTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_ModOp : Kiln_Op<"mod", [Pure, InferTypeOpAdaptor]> {
  let summary = "remainder with numpy broadcasting";
  let description = [{
    With `fmod` the remainder has the sign of the dividend (C fmod); without
    it (integers only) the sign of the divisor (Python %).
  }];
  let arguments = (ins Kiln_NumericTensor:$lhs, Kiln_NumericTensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_RangeOp : Kiln_Op<"range", [Pure,
    AllTypesMatch<["start", "delta"]>]> {
  let summary = "start + i * delta for i in [0, N), N from the result type";
  let description = [{
    The length is static (the result type); ONNX derives it from `limit`,
    which the importer resolves at compile time.
  }];
  let arguments = (ins Kiln_NumericTensor:$start, Kiln_NumericTensor:$delta);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$start `,` $delta attr-dict `:` type($start) `->` "
      "type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Kiln_MatMulOp : Kiln_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "numpy matmul: [..., M, K] x [..., K, N], batch dims broadcast";
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

def Kiln_GemmOp : Kiln_Op<"gemm", [Pure, InferTypeOpAdaptor]> {
  let summary = "alpha * op(A) * op(B) + beta * C (C broadcast, optional)";
  let arguments = (ins Kiln_FloatTensor:$a, Kiln_FloatTensor:$b,
                   Optional<Kiln_FloatTensor>:$c,
                   DefaultValuedAttr<F64Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F64Attr, "1.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                   DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_ConvOp : Kiln_Op<"conv", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-d grouped convolution, NC... layout, explicit pads";
  let description = [{
    `pads` holds the begin pads of every spatial dimension, then the end pads.
    With `channels_last` (set by the layout phase, 2-D only) the input and
    result are NHWC and the filter is HWCF: `[KH, KW, C/group, F]`.
    ```mlir
    %y = kiln.conv %x, %w, %b {strides = array<i64: 2, 2>,
        dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
        group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>,
        tensor<4xf32>) -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$filter,
                   Optional<Kiln_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Dimension of the input/result channels and of the filter's input and
    /// output channels, for either layout.
    int64_t getChannelDim() {
      return getChannelsLast() ? getInput().getType().getRank() - 1 : 1;
    }
    int64_t getFilterInDim() {
      return getChannelsLast() ? getFilter().getType().getRank() - 2 : 1;
    }
    int64_t getFilterOutDim() {
      return getChannelsLast() ? getFilter().getType().getRank() - 1 : 0;
    }
    /// First spatial dimension of the input/result and of the filter.
    int64_t getSpatialStart() { return getChannelsLast() ? 1 : 2; }
    int64_t getFilterSpatialStart() { return getChannelsLast() ? 0 : 2; }
  }];
}

//===----------------------------------------------------------------------===//
// Normalization, pooling, softmax, reductions
//===----------------------------------------------------------------------===//

def Kiln_BatchNormOp : Kiln_Op<"batch_norm", [Pure,
    AllTypesMatch<["input", "result"]>,
    AllTypesMatch<["scale", "bias", "mean", "variance"]>]> {
  let summary = "inference batch normalization over dimension 1";
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                   Kiln_FloatTensor:$bias, Kiln_FloatTensor:$mean,
                   Kiln_FloatTensor:$variance,
                   DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $scale `,` $bias `,` $mean `,` $variance "
      "attr-dict `:` type($input) `,` type($scale)";
  let hasVerifier = 1;
}

def Kiln_LayerNormOp : Kiln_Op<"layer_norm", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "layer normalization over dimensions [axis, rank)";
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                   Optional<Kiln_FloatTensor>:$bias, I64Attr:$axis,
                   DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $scale (`,` $bias^)? attr-dict `:` "
      "type($input) `,` type($scale) (`,` type($bias)^)?";
  let hasVerifier = 1;
}

def Kiln_SoftmaxOp : Kiln_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax (or log-softmax) along one axis";
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$log);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

class Kiln_PoolOp<string mnemonic> : Kiln_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let arguments = (ins Kiln_FloatTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// First spatial dimension: 2 (NC...), or 1 with `channels_last`
    /// (N...C, set by the layout phase).
    int64_t getSpatialStart() { return getChannelsLast() ? 1 : 2; }
  }];
}

def Kiln_MaxPoolOp : Kiln_PoolOp<"max_pool"> {
  let summary = "N-d max pooling, NC... layout, explicit pads";
}
def Kiln_AvgPoolOp : Kiln_PoolOp<"avg_pool"> {
  let summary = "N-d average pooling, NC... layout, explicit pads";
}

def Kiln_MaxPoolIndicesOp : Kiln_Op<"max_pool_indices", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "where max_pool found each maximum (ONNX MaxPool Indices)";
  let description = [{
    The flat input index of each window's first maximum, with the
    attributes of the matching `kiln.max_pool`: (n * C + c) * size of the
    spatial dims + the spatial position, flattened row-major, or
    column-major with `column_major` (ONNX storage_order=1).
  }];
  let arguments = (ins Kiln_FloatTensor:$input,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$column_major);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class Kiln_ReduceOp<string mnemonic> : Kiln_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let summary = "reduction over `axes` (all axes when empty)";
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_ReduceSumOp : Kiln_ReduceOp<"reduce_sum">;
def Kiln_ReduceMeanOp : Kiln_ReduceOp<"reduce_mean">;
def Kiln_ReduceMaxOp : Kiln_ReduceOp<"reduce_max">;
def Kiln_ReduceMinOp : Kiln_ReduceOp<"reduce_min">;
def Kiln_ReduceProdOp : Kiln_ReduceOp<"reduce_prod">;

class Kiln_ArgOp<string mnemonic> : Kiln_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let summary = "index of the " # !if(!eq(mnemonic, "arg_max"), "largest",
      "smallest") # " element along `axis` (first, or last with "
      "select_last_index)";
  let arguments = (ins Kiln_Tensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Kiln_ArgMaxOp : Kiln_ArgOp<"arg_max">;
def Kiln_ArgMinOp : Kiln_ArgOp<"arg_min">;

def Kiln_HardmaxOp : Kiln_Op<"hardmax", [Pure, SameOperandsAndResultType]> {
  let summary = "1 at the first maximum along `axis`, 0 elsewhere";
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Kiln_CumSumOp : Kiln_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "running sum along `axis` (optionally exclusive, reversed)";
  let arguments = (ins Kiln_Tensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Kiln_TopKOp : Kiln_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "the k largest (or smallest) elements along `axis`, sorted";
  let description = [{
    Values and their i64 indices. Equal values keep their input order (the
    lower index first), as ONNX specifies.
  }];
  let arguments = (ins Kiln_Tensor:$input, I64Attr:$k, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest);
  let results = (outs Kiln_Tensor:$values, RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($values) "
      "`,` type($indices)";
}

def Kiln_EinsumOp : Kiln_Op<"einsum", [Pure]> {
  let summary = "Einstein summation with an explicit equation";
  let description = [{
    The equation names every dimension of every operand and of the result
    with one letter (`ij,jk->ik`, `bii->bi`); there is no ellipsis (the
    importer spells it out). Letters absent from the result are summed over.
  }];
  let arguments = (ins Variadic<Kiln_FloatTensor>:$inputs, StrAttr:$equation);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Kiln_ReshapeOp : Kiln_Op<"reshape", [Pure]> {
  let summary = "reshape to the (static) result type";
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_TransposeOp : Kiln_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_ConcatOp : Kiln_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "concatenate along `axis`";
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "strided slice with one normalized (start, end, step) per dim";
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Kiln_GatherOp : Kiln_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Gather: take slices of `input` along `axis`";
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` "
      "functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_GatherElementsOp : Kiln_Op<"gather_elements", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "ONNX GatherElements: result[i] = input[i with i[axis] = "
                "indices[i]]";
  let description = [{
    `indices` has the rank of `input` and the result's shape; negative
    indices count from the end of `axis`.
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` "
      "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_GatherNDOp : Kiln_Op<"gather_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX GatherND: index the leading dims of `input` with the "
                "last dim of `indices`";
  let description = [{
    The first `batch_dims` dims of `input` and `indices` are shared batch
    dims; the result is `indices.shape[:-1] ++ input.shape[batch_dims + k:]`
    with `k = indices.shape[-1]`. Negative indices count from the end.
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $indices attr-dict `:` "
      "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_ResizeOp : Kiln_Op<"resize", [Pure]> {
  let summary = "ONNX Resize (nearest, linear, cubic) to the result type";
  let description = [{
    `scales` (f32, one per dim) enter the coordinate transformation as ONNX
    specifies; they may be run-time values since the result shape is static.
    `roi` (f32, starts then ends) is used by `tf_crop_and_resize` only.
    Linear and cubic interpolate every dim whose scale is not the constant 1.
  }];
  let arguments = (ins Kiln_FloatTensor:$input,
                   RankedTensorOf<[F32]>:$scales,
                   Optional<RankedTensorOf<[F32]>>:$roi,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:
                       $coordinate_transformation_mode,
                   DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:
                       $nearest_mode,
                   DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                   DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $scales (`,` $roi^)? attr-dict `:` "
      "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_DynamicSliceOp : Kiln_Op<"dynamic_slice", [Pure]> {
  let summary = "strided slice whose starts/axes/steps are run-time values";
  let description = [{
    ONNX Slice with non-constant bounds: `starts`, `axes` and `steps` (same
    length) are read at run time, clamped and normalized as ONNX specifies;
    the result type is static (the ONNX `ends` only determine it). Source
    indices are clamped into the input, so inconsistent bounds cannot read
    out of bounds.
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$starts,
                   Kiln_IndexTensor:$axes, Kiln_IndexTensor:$steps);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $starts `,` $axes `,` $steps attr-dict `:` "
      "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_DynamicPadOp : Kiln_Op<"dynamic_pad", [Pure]> {
  let summary = "constant/reflect/edge padding by run-time pads";
  let description = [{
    `pads` (begins then ends, one pair per dim) and the optional rank-0
    constant `value` are read at run time; the result type is static. Only
    the begin pads are needed to address the input.
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_IndexTensor:$pads,
                   Optional<Kiln_Tensor>:$value,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input `,` $pads (`,` $value^)? attr-dict `:` "
      "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_PadOp : Kiln_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "constant/reflect/edge padding; pads = begins then ends";
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode,
                   DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_ExpandOp : Kiln_Op<"expand", [Pure]> {
  let summary = "numpy broadcast of `input` to the result type";
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Kernels (the fusion phase)
//===----------------------------------------------------------------------===//

def Kiln_FusionOp : Kiln_Op<"fusion", [SingleBlock, RecursiveMemoryEffects,
    RecursivelySpeculatable]> {
  let summary = "one kernel's worth of ops: an anchor with its fused ops";
  let description = [{
    Formed by `kiln-form-kernels`. The region holds the ops of one kernel in
    program order: the `anchor` (the op that decides the kernel's loops, e.g.
    `kiln.conv`; `elementwise` for a pure elementwise chain), the producers
    fused into it (pads, broadcasts) and its consumers (bias, activation,
    residual add). The region reads values from above; `kiln.yield` returns
    the kernel's results. `name` is the anchor's ONNX node name, and the
    op's location fuses the locations of every op inside.

    ```mlir
    %y = kiln.fusion "conv1" anchor "kiln.conv" -> tensor<1x8x4x4xf32> {
      %c = kiln.conv %x, %w, %b ...
      %r = kiln.relu %c : tensor<1x8x4x4xf32>
      kiln.yield %r : tensor<1x8x4x4xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$anchor);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$name `anchor` $anchor attr-dict-with-keyword "
      "(`->` type($results)^)? $body";
  let hasVerifier = 1;
}

def Kiln_YieldOp : Kiln_Op<"yield", [Pure, Terminator,
    HasParent<"FusionOp">]> {
  let summary = "results of a kiln.fusion kernel";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // KILN_OPS
