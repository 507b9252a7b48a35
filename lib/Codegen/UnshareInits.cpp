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

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

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

/// Clones, before `b`'s insertion point, the ops that build `v` from empty
/// tensors: fills and insert_slices of fills (a padded tensor's border).
Value cloneBuilder(OpBuilder &b, Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return v;
  if (isa<tensor::EmptyOp>(def))
    return b.clone(*def)->getResult(0);
  if (auto fill = dyn_cast<linalg::FillOp>(def)) {
    IRMapping map;
    map.map(fill.getOutputs()[0], cloneBuilder(b, fill.getOutputs()[0]));
    return b.clone(*def, map)->getResult(0);
  }
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(def)) {
    IRMapping map;
    map.map(insert.getSource(), cloneBuilder(b, insert.getSource()));
    map.map(insert.getDest(), cloneBuilder(b, insert.getDest()));
    return b.clone(*def, map)->getResult(0);
  }
  return v;
}

/// A padded tensor that loops write in place (their destination a slice of
/// it, their result inserted back) may have been merged by CSE with an
/// identical one written by another loop: every loop after the first gets
/// its own copy of the tensor's construction and of its slice.
void unsharePaddedDestinations(func::FuncOp func) {
  DenseMap<Value, int> writers;
  SmallVector<tensor::InsertSliceOp> inserts;
  func.walk([&](tensor::InsertSliceOp insert) {
    if (insert->getBlock() == &func.getBody().front())
      inserts.push_back(insert);
  });
  OpBuilder b(func.getContext());
  for (tensor::InsertSliceOp insert : inserts) {
    // Unit-dim folding may have put reshapes on both sides.
    Value source = insert.getSource();
    if (auto collapse = source.getDefiningOp<tensor::CollapseShapeOp>())
      source = collapse.getSrc();
    auto result = dyn_cast<OpResult>(source);
    auto forall =
        result ? dyn_cast<scf::ForallOp>(result.getOwner()) : scf::ForallOp();
    if (!forall)
      continue;
    OpOperand *out = forall.getTiedOpOperand(result);
    auto expand = out->get().getDefiningOp<tensor::ExpandShapeOp>();
    Value sliced = expand ? expand.getSrc() : out->get();
    auto slice = sliced.getDefiningOp<tensor::ExtractSliceOp>();
    Value dest = insert.getDest();
    if (!slice || slice.getSource() != dest || writers[dest]++ == 0)
      continue;
    b.setInsertionPoint(forall);
    Value own = cloneBuilder(b, dest);
    if (own == dest)
      continue;
    IRMapping map;
    map.map(dest, own);
    Value ownOut = b.clone(*slice, map)->getResult(0);
    if (expand) {
      map.map(slice.getResult(), ownOut);
      ownOut = b.clone(*expand, map)->getResult(0);
    }
    out->set(ownOut);
    insert.getDestMutable().assign(own);
  }
}

struct UnshareInitsPass : kiln::impl::UnshareInitsPassBase<UnshareInitsPass> {
  void runOnOperation() override {
    unsharePaddedDestinations(getOperation());
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
