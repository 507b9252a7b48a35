//===- WeightUtils.cpp - reading and writing constant weights -------------===//

#include "Kiln/Transforms/WeightUtils.h"

#include "Kiln/IR/KilnOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;

std::optional<SmallVector<float>> mlir::kiln::getConstantF32(Value v) {
  if (!v)
    return std::nullopt;
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<ShapedType>(v.getType());
  if (!type || !type.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return llvm::to_vector(dense.getValues<float>());
  if (auto res = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    if (auto data = res.tryGetAsArrayRef())
      return SmallVector<float>(*data);
  return std::nullopt;
}

ElementsAttr mlir::kiln::createF32Attr(Operation *scope, RankedTensorType type,
                                       ArrayRef<float> values, StringRef what) {
  if (values.size() <= 64)
    return DenseElementsAttr::get(type, values);
  std::string name = what.str();
  auto fn = dyn_cast<FunctionOpInterface>(scope);
  if (!fn)
    fn = scope->getParentOfType<FunctionOpInterface>();
  if (fn)
    name = (fn.getName() + "_" + what).str();
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyInferAlign(values,
                                                     /*mutable=*/false));
}

Value mlir::kiln::createF32Constant(OpBuilder &builder, Location loc,
                                    RankedTensorType type,
                                    ArrayRef<float> values, StringRef what) {
  Operation *scope = builder.getInsertionBlock()->getParentOp();
  return ConstantOp::create(builder, loc,
                            createF32Attr(scope, type, values, what));
}
