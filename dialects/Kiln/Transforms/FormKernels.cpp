//===- FormKernels.cpp - group kiln ops into kernels ----------------------===//
//
// The fusion phase. Walking each function in program order, every op that
// computes starts a kernel unless an earlier one took it:
//  - an anchor (conv, matmul, gemm, reduction, softmax, norm, pooling) takes
//    the producers it can read through (a constant pad, a transposed or
//    broadcast matmul operand) when it is their only user;
//  - an anchor or an elementwise op then takes its consumers while the
//    kernel's result has one user and that user is elementwise (bias,
//    batch-norm scale, activation, residual add, clip), so the kernel keeps
//    one result and nothing inside it is read from outside;
//  - data movement (concat, slice, gather, ...) is a kernel of its own;
//    constants and reshapes belong to none.
// Each kernel becomes a kiln.fusion at its last op, which every value it
// reads dominates.
//
//===----------------------------------------------------------------------===//

#include "Kiln/Transforms/KernelInfo.h"
#include "Kiln/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_FORMKERNELSPASS
#include "Kiln/Transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// The single op using every use of `v`, if there is one.
Operation *soleUser(Value v) {
  Operation *user = nullptr;
  for (Operation *u : v.getUsers()) {
    if (user && u != user)
      return nullptr;
    user = u;
  }
  return user;
}

/// Ops of one kernel, in program order once sorted.
using Kernel = SmallVector<Operation *>;

Kernel growKernel(Operation *seed, const DenseSet<Operation *> &taken) {
  Kernel kernel{seed};
  Block *block = seed->getBlock();
  KernelRole role = getKernelRole(seed);
  if (role == KernelRole::Anchor)
    for (Value operand : seed->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && def->getBlock() == block && !taken.contains(def) &&
          soleUser(operand) == seed && isFusableProducer(def, seed))
        kernel.push_back(def);
    }
  if (role != KernelRole::Anchor && role != KernelRole::Elementwise)
    return kernel;
  Operation *tip = seed;
  while (tip->getNumResults() == 1) {
    Operation *user = soleUser(tip->getResult(0));
    if (!user || user->getBlock() != block || taken.contains(user) ||
        getKernelRole(user) != KernelRole::Elementwise ||
        user->getNumResults() != 1)
      break;
    kernel.push_back(user);
    tip = user;
  }
  llvm::sort(kernel,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return kernel;
}

std::string kernelName(Operation *anchor) {
  return firstNodeName(anchor->getLoc())
      .value_or(anchor->getName().getStringRef().str());
}

void buildFusion(OpBuilder &b, const Kernel &kernel, Operation *anchor) {
  Operation *last = kernel.back();
  llvm::SmallSetVector<Operation *, 8> members(kernel.begin(), kernel.end());
  // Results read outside the kernel: the last op's and, for ops that
  // cannot grow (several results), those of the seed itself.
  SmallVector<Value> results;
  for (Operation *op : kernel)
    for (Value r : op->getResults())
      if (llvm::any_of(r.getUsers(),
                       [&](Operation *u) { return !members.contains(u); }))
        results.push_back(r);
  SmallVector<Location> locs;
  for (Operation *op : kernel)
    locs.push_back(op->getLoc());
  b.setInsertionPoint(last);
  std::string anchorName = getKernelRole(anchor) == KernelRole::Elementwise
                               ? std::string("elementwise")
                               : anchor->getName().getStringRef().str();
  auto fusion =
      FusionOp::create(b, b.getFusedLoc(locs), ValueRange(results).getTypes(),
                       kernelName(anchor), anchorName);
  Block *body = b.createBlock(&fusion.getBody());
  for (Operation *op : kernel)
    op->moveBefore(body, body->end());
  b.setInsertionPointToEnd(body);
  YieldOp::create(b, fusion.getLoc(), results);
  for (auto [r, f] : llvm::zip(results, fusion.getResults()))
    r.replaceUsesWithIf(f, [&](OpOperand &use) {
      return use.getOwner()->getParentOp() != fusion;
    });
}

struct FormKernelsPass : kiln::impl::FormKernelsPassBase<FormKernelsPass> {
  void runOnOperation() override {
    OpBuilder b(&getContext());
    getOperation()->walk([&](func::FuncOp func) {
      for (Block &block : func.getBody()) {
        DenseSet<Operation *> taken;
        SmallVector<std::pair<Kernel, Operation *>> kernels;
        for (Operation &op : block) {
          if (taken.contains(&op) || !isa<KilnDialect>(op.getDialect()) ||
              getKernelRole(&op) == KernelRole::Free)
            continue;
          // A producer waits for the anchor that reads through it.
          if (getKernelRole(&op) == KernelRole::Producer) {
            Operation *user = soleUser(op.getResult(0));
            if (user && user->getBlock() == &block &&
                isFusableProducer(&op, user))
              continue;
          }
          Kernel kernel = growKernel(&op, taken);
          taken.insert(kernel.begin(), kernel.end());
          kernels.emplace_back(std::move(kernel), &op);
        }
        for (auto &[kernel, anchor] : kernels)
          buildFusion(b, kernel, anchor);
      }
    });
  }
};

} // namespace
