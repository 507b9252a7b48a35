//===- MarkKernels.cpp - kernel boundaries for the run-time profiler ------===//
//
// Numbers the kiln.fusion kernels of every function in program order and
// calls `kiln_kernel_mark(i)` before kernel i (and `kiln_kernel_mark(N)`
// before the return), so the runtime can charge the time between two marks
// to one kernel. The kernels' names go into the module's `kiln.kernels`
// attribute, from which the model library's kernel table is built. The
// calls have no operands, so lowering and bufferization leave them in
// place between the kernels' loops.
//
//===----------------------------------------------------------------------===//

#include "Kiln/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_MARKKERNELSPASS
#include "Kiln/Transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

namespace {

constexpr llvm::StringLiteral kMarkFn = "kiln_kernel_mark";

struct MarkKernelsPass : kiln::impl::MarkKernelsPassBase<MarkKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(module.getContext());
    SmallVector<FusionOp> kernels;
    SmallVector<func::ReturnOp> returns;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      func.walk([&](FusionOp f) { kernels.push_back(f); });
      func.walk([&](func::ReturnOp r) { returns.push_back(r); });
    }
    if (kernels.empty())
      return;
    if (module.lookupSymbol(kMarkFn)) {
      module.emitError() << "kernels are already marked ('" << kMarkFn
                         << "' exists)";
      return signalPassFailure();
    }
    b.setInsertionPointToStart(module.getBody());
    auto markFn = func::FuncOp::create(b, module.getLoc(), kMarkFn,
                                       b.getFunctionType({b.getI32Type()}, {}));
    markFn.setPrivate();
    auto mark = [&](Operation *before, int64_t id) {
      b.setInsertionPoint(before);
      Value c = arith::ConstantIntOp::create(b, before->getLoc(), id, 32);
      func::CallOp::create(b, before->getLoc(), markFn, ValueRange{c});
    };
    SmallVector<Attribute> names;
    for (auto [i, kernel] : llvm::enumerate(kernels)) {
      mark(kernel, i);
      names.push_back(kernel.getNameAttr());
    }
    for (func::ReturnOp r : returns)
      mark(r, kernels.size());
    module->setAttr("kiln.kernels", b.getArrayAttr(names));
  }
};

} // namespace
