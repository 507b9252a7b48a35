//===- UnshareInits.cpp - one init tensor per destination -----------------===//
//
// CSE merges identical `linalg.fill`s (every zero-initialized accumulator or
// padded buffer of one shape), and `tensor.empty`s. When several ops then
// write into one such value, bufferization must copy it for all but one of
// them: a full-size memory copy per use. Giving each user its own clone
// (cheap: a fill is written once either way) lets every destination be
// written in place.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_UNSHAREINITSPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

/// Whether `v` is a buffer written through a slice and then inserted into
/// (a padded tensor whose interior a loop writes in place): its uses are
/// one tensor, not users to separate.
bool isSubsetDestination(Value v) {
  bool sliced = false, inserted = false;
  for (Operation *user : v.getUsers()) {
    sliced |= isa<tensor::ExtractSliceOp>(user);
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(user))
      inserted |= insert.getDest() == v;
  }
  return sliced && inserted;
}

struct UnshareInitsPass : kiln::impl::UnshareInitsPassBase<UnshareInitsPass> {
  void runOnOperation() override {
    SmallVector<Operation *> shared;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::FillOp, tensor::EmptyOp>(op) &&
          op->getNumResults() == 1 &&
          isa<RankedTensorType>(op->getResult(0).getType()) &&
          !op->getResult(0).hasOneUse() && !op->getResult(0).use_empty() &&
          !isSubsetDestination(op->getResult(0)))
        shared.push_back(op);
    });
    OpBuilder b(&getContext());
    for (Operation *op : shared) {
      // Every use but the first gets a clone placed right before its user,
      // where the clone's own operands (the fill value, the empty tensor)
      // still dominate.
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : op->getResult(0).getUses())
        if (use.getOwner()->getBlock() == op->getBlock())
          uses.push_back(&use);
      llvm::sort(uses, [](OpOperand *x, OpOperand *y) {
        return x->getOwner()->isBeforeInBlock(y->getOwner());
      });
      for (OpOperand *use : llvm::drop_begin(uses)) {
        b.setInsertionPoint(use->getOwner());
        Operation *clone = b.clone(*op);
        // A fill's empty destination is cloned with it.
        if (auto fill = dyn_cast<linalg::FillOp>(clone))
          if (auto empty =
                  fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>()) {
            b.setInsertionPoint(fill);
            fill->setOperand(fill.getNumDpsInputs(),
                             b.clone(*empty)->getResult(0));
          }
        use->set(clone->getResult(0));
      }
    }
  }
};

} // namespace
