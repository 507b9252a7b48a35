//===- KernelInfo.cpp - roles, names and costs of kiln ops ----------------===//

#include "Kiln/Transforms/KernelInfo.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::kiln;

KernelRole mlir::kiln::getKernelRole(Operation *op) {
  if (isa<ConstantOp, ReshapeOp, FusionOp>(op))
    return KernelRole::Free;
  if (isa<ConvOp, MatMulOp, GemmOp, EinsumOp, LayerNormOp, SoftmaxOp, MaxPoolOp,
          AvgPoolOp, ReduceSumOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp,
          ReduceProdOp, ArgMaxOp, ArgMinOp, HardmaxOp>(op))
    return KernelRole::Anchor;
  if (op->hasTrait<OpTrait::Elementwise>() ||
      isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, WhereOp, EqualOp,
          LessOp, LessEqualOp, GreaterOp, GreaterEqualOp, AndOp, OrOp, XorOp,
          BitShiftOp, ModOp, BatchNormOp>(op))
    return KernelRole::Elementwise;
  if (isa<PadOp, TransposeOp, ExpandOp>(op))
    return KernelRole::Producer;
  return KernelRole::Standalone;
}

bool mlir::kiln::isFusableProducer(Operation *producer, Operation *anchor) {
  // A constant pad is the conv's or pool's own padding; a transpose or
  // broadcast of a matmul operand is a change of indexing map.
  if (auto pad = dyn_cast<PadOp>(producer))
    return pad.getMode() == "constant" &&
           isa<ConvOp, MaxPoolOp, AvgPoolOp>(anchor) &&
           anchor->getOperand(0) == pad.getResult();
  if (isa<TransposeOp, ExpandOp>(producer))
    return isa<MatMulOp, GemmOp>(anchor);
  return false;
}

void mlir::kiln::collectNodeNames(Location loc,
                                  SmallVectorImpl<std::string> &names) {
  loc->walk([&](Location l) {
    if (auto name = dyn_cast<NameLoc>(l)) {
      std::string s = name.getName().str();
      if (!llvm::is_contained(names, s))
        names.push_back(s);
      return WalkResult::skip();
    }
    return WalkResult::advance();
  });
}

std::optional<std::string> mlir::kiln::firstNodeName(Location loc) {
  SmallVector<std::string> names;
  collectNodeNames(loc, names);
  if (names.empty())
    return std::nullopt;
  return names.front();
}

static int64_t numElements(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  return shaped.getNumElements();
}

int64_t mlir::kiln::estimateFlops(Operation *op) {
  if (op->getNumResults() == 0)
    return 0;
  int64_t out = numElements(op->getResult(0).getType());
  return llvm::TypeSwitch<Operation *, int64_t>(op)
      .Case([&](ConvOp conv) {
        // Every output element reads C/group * prod(kernel) inputs.
        auto w = conv.getFilter().getType();
        int64_t f = w.getDimSize(conv.getFilterOutDim());
        int64_t perOut = w.hasStaticShape()
                             ? w.getNumElements() / std::max<int64_t>(f, 1)
                             : 0;
        return 2 * out * perOut + (conv.getBias() ? out : 0);
      })
      .Case([&](MatMulOp mm) {
        auto a = mm.getLhs().getType();
        return 2 * out * a.getDimSize(a.getRank() - 1);
      })
      .Case([&](GemmOp gemm) {
        auto a = gemm.getA().getType();
        int64_t k = a.getDimSize(gemm.getTransA() ? 0 : 1);
        return 2 * out * k + (gemm.getC() ? out : 0);
      })
      .Case<MaxPoolOp, AvgPoolOp>([&](auto pool) {
        int64_t window = 1;
        for (int64_t k : pool.getKernelShape())
          window *= k;
        return out * window;
      })
      .Case<LayerNormOp, SoftmaxOp>([&](Operation *) { return 5 * out; })
      .Case<ReduceSumOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceProdOp,
            ArgMaxOp, ArgMinOp, EinsumOp, HardmaxOp>(
          [&](Operation *) { return numElements(op->getOperand(0).getType()); })
      .Case([&](BatchNormOp) { return 2 * out; })
      .Default([&](Operation *) {
        return getKernelRole(op) == KernelRole::Elementwise ? out : 0;
      });
}
