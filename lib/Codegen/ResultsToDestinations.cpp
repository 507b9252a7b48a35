//===- ResultsToDestinations.cpp - tensor results -> output buffers -------===//
//
// The model ABI passes outputs as caller-owned buffers. Doing this on
// tensors, before bufferization, lets one-shot bufferize write results in
// place and insert copies only where a result aliases something else, which
// buffer-results-to-out-params cannot do after the fact.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_RESULTSTODESTINATIONSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {
struct ResultsToDestinationsPass
    : kiln::impl::ResultsToDestinationsPassBase<ResultsToDestinationsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func.isPrivate() || func.getNumResults() == 0)
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitError("expected a single-block function");
      return signalPassFailure();
    }
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    SmallVector<Type> destTypes;
    for (Type t : func.getResultTypes()) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      if (!tensor || !tensor.hasStaticShape()) {
        func.emitError("result type ") << t << " is not a static tensor";
        return signalPassFailure();
      }
      destTypes.push_back(
          MemRefType::get(tensor.getShape(), tensor.getElementType()));
    }
    unsigned first = func.getNumArguments();
    SmallVector<unsigned> indices(destTypes.size(), first);
    SmallVector<DictionaryAttr> attrs(destTypes.size());
    SmallVector<Location> locs(destTypes.size(), func.getLoc());
    if (failed(func.insertArguments(indices, destTypes, attrs, locs)))
      return signalPassFailure();
    OpBuilder b(ret);
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      // A result assembled by insertions into a tensor.empty (the parts of
      // a split contraction) is assembled in the output buffer, slices and
      // all: empty-tensor elimination would replace only the insertion's
      // use of it and leave the parts writing into a temporary.
      Value root = v;
      while (auto insert = root.getDefiningOp<tensor::InsertSliceOp>())
        root = insert.getDest();
      auto empty = root.getDefiningOp<tensor::EmptyOp>();
      if (root != v && empty && empty.getType() == v.getType() &&
          llvm::all_of(empty->getUsers(), [](Operation *user) {
            return isa<tensor::InsertSliceOp, tensor::ExtractSliceOp>(user);
          })) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(empty);
        auto buffer = bufferization::ToTensorOp::create(
            b, empty.getLoc(), empty.getType(), func.getArgument(first + i),
            /*restrict=*/true, /*writable=*/true);
        empty.replaceAllUsesWith(buffer.getResult());
        empty.erase();
      }
      auto op = bufferization::MaterializeInDestinationOp::create(
          b, ret.getLoc(), v, func.getArgument(first + i));
      op.setRestrict(true);
      op.setWritable(true);
    }
    ret->setOperands({});
    llvm::BitVector all(func.getNumResults(), true);
    if (failed(func.eraseResults(all)))
      return signalPassFailure();
  }
};
} // namespace
