//===- PlanMemory.cpp - static arena plan for intermediate buffers --------===//
//
// Straight-line model code makes liveness simple: a buffer is live from its
// allocation to the last top-level op that uses it or any view of it. Buffers
// are placed first-fit in allocation order; one whose range has ended frees
// its space for later ones.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "kiln/Codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

struct Buffer {
  memref::AllocOp alloc;
  int64_t start, end, size, offset = 0;
};

/// Index in `block` of the top-level op containing `op`.
int64_t topLevelIndex(Operation *op, Block &block,
                      const DenseMap<Operation *, int64_t> &index) {
  while (op && op->getBlock() != &block)
    op = op->getParentOp();
  return op ? index.lookup(op) : -1;
}

/// Last top-level index at which `root` or any view of it is used (deallocs
/// excluded); -1 if it escapes through an op we do not understand.
int64_t lastUse(Value root, Block &block,
                const DenseMap<Operation *, int64_t> &index) {
  int64_t last = 0;
  SmallVector<Value> worklist = {root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<memref::DeallocOp>(user))
        continue;
      if (isa<func::ReturnOp>(user))
        return -1;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          llvm::append_range(worklist, user->getResults());
      last = std::max(last, topLevelIndex(user, block, index));
    }
  }
  return last;
}

int64_t byteSize(MemRefType type) {
  unsigned bits = type.getElementTypeBitWidth();
  return type.getNumElements() * ((bits + 7) / 8);
}

struct PlanMemoryPass : kiln::impl::PlanMemoryPassBase<PlanMemoryPass> {
  using PlanMemoryPassBase::PlanMemoryPassBase;
  int64_t numBuffers = 0, unsharedSize = 0;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    numBuffers = unsharedSize = 0;
    int64_t arenaSize = 0;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      FailureOr<int64_t> size = planFunction(func);
      if (failed(size))
        return signalPassFailure();
      arenaSize = std::max(arenaSize, *size);
    }
    Builder b(module);
    module->setAttr(kiln::kArenaSizeAttr, b.getI64IntegerAttr(arenaSize));
    // What the plan saved, for the compile report.
    module->setAttr("kiln.arena_buffers", b.getI64IntegerAttr(numBuffers));
    module->setAttr("kiln.arena_unshared_size",
                    b.getI64IntegerAttr(unsharedSize));
  }

  FailureOr<int64_t> planFunction(func::FuncOp func) {
    if (!func.getBody().hasOneBlock())
      return func.emitError("kiln-plan-memory expects a single-block body");
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(block))
      index[&op] = i;

    SmallVector<Buffer> buffers;
    for (auto alloc : block.getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          type.getMemorySpace())
        continue;
      int64_t end = lastUse(alloc, block, index);
      if (end < 0)
        continue;
      int64_t size =
          llvm::alignTo(std::max<int64_t>(byteSize(type), 1), alignment);
      buffers.push_back({alloc, index[alloc], end, size});
      ++numBuffers;
      unsharedSize += size;
    }

    // First fit in allocation order over the buffers still live.
    SmallVector<Buffer *> live;
    int64_t total = 0;
    for (Buffer &b : buffers) {
      llvm::erase_if(live, [&](Buffer *o) { return o->end < b.start; });
      llvm::sort(live,
                 [](Buffer *x, Buffer *y) { return x->offset < y->offset; });
      int64_t offset = 0;
      for (Buffer *o : live) {
        if (offset + b.size <= o->offset)
          break;
        offset = std::max(offset, o->offset + o->size);
      }
      b.offset = offset;
      total = std::max(total, offset + b.size);
      live.push_back(&b);
    }

    // The arena is the function's last argument, even when empty, so the
    // entry ABI does not depend on the plan.
    OpBuilder builder(func.getContext());
    auto arenaType = MemRefType::get({total}, builder.getI8Type());
    unsigned argIndex = func.getNumArguments();
    if (failed(func.insertArgument(argIndex, arenaType, {}, func.getLoc())))
      return failure();
    Value arena = func.getArgument(argIndex);
    for (Buffer &b : buffers) {
      builder.setInsertionPoint(b.alloc);
      Location loc = b.alloc.getLoc();
      Value offset = arith::ConstantIndexOp::create(builder, loc, b.offset);
      Value view = memref::ViewOp::create(builder, loc, b.alloc.getType(),
                                          arena, offset, ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(b.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    return total;
  }
};

} // namespace
