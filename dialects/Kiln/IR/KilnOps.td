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

def Kiln_Tensor : RankedTensorOf<[AnyFloat, AnySignlessInteger]>;
def Kiln_FloatTensor : RankedTensorOf<[AnyFloat]>;
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

class Kiln_UnaryOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, Elementwise,
                                             SameOperandsAndResultType])> {
  let summary = "elementwise " # mnemonic;
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Kiln_AbsOp : Kiln_UnaryOp<"abs">;
def Kiln_CeilOp : Kiln_UnaryOp<"ceil">;
def Kiln_CosOp : Kiln_UnaryOp<"cos">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf">;
def Kiln_ExpOp : Kiln_UnaryOp<"exp">;
def Kiln_FloorOp : Kiln_UnaryOp<"floor">;
def Kiln_LogOp : Kiln_UnaryOp<"log">;
def Kiln_NegOp : Kiln_UnaryOp<"neg">;
def Kiln_ReciprocalOp : Kiln_UnaryOp<"reciprocal">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu">;
def Kiln_RoundOp : Kiln_UnaryOp<"round">;
def Kiln_SigmoidOp : Kiln_UnaryOp<"sigmoid">;
def Kiln_SinOp : Kiln_UnaryOp<"sin">;
def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh">;

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
                   DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
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
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_MaxPoolOp : Kiln_PoolOp<"max_pool"> {
  let summary = "N-d max pooling, NC... layout, explicit pads";
}
def Kiln_AvgPoolOp : Kiln_PoolOp<"avg_pool"> {
  let summary = "N-d average pooling, NC... layout, explicit pads";
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

#endif // KILN_OPS
